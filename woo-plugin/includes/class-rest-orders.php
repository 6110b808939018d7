<?php
/**
 * GET /wp-json/expedio/v1/orders — the admin page's view of this channel's orders in Expedio.
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * Forwards the admin page's order list request to the core. The browser never sees the core's
 * URL or API key; it talks to WordPress with its login cookie and the wp_rest nonce.
 * A WP_REST_Controller, like WooCommerce's own controllers: the collection route, its
 * permission check and its parameters under the names WordPress gives them.
 */
final class Rest_Orders extends \WP_REST_Controller {

	/** @var string */
	protected $namespace = 'expedio/v1';

	/** @var string */
	protected $rest_base = 'orders';

	public function __construct( private Core_Client $core ) {
	}

	public function register_routes(): void {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'get_items' ),
				'permission_callback' => array( $this, 'get_items_permissions_check' ),
				'args'                => $this->get_collection_params(),
			)
		);
	}

	/**
	 * Cookie-authenticated requests only reach this point with a valid X-WP-Nonce: WordPress's
	 * REST server (rest_cookie_check_errors) treats a cookie request without it as logged out,
	 * and a logged-out user has no capabilities.
	 *
	 * @param \WP_REST_Request $request The request.
	 */
	public function get_items_permissions_check( $request ): bool {
		return Access::allowed();
	}

	/**
	 * Route arguments. WordPress validates them against the schema and runs sanitize_callback
	 * before the callback sees them.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public function get_collection_params(): array {
		return array(
			'limit'  => array(
				'type'              => 'integer',
				'default'           => 25,
				'minimum'           => 1,
				'maximum'           => 100,
				'sanitize_callback' => static fn( $value ): int => max( 1, min( 100, absint( $value ) ) ),
				'validate_callback' => 'rest_validate_request_arg',
			),
			'cursor' => array(
				'type'              => 'string',
				'default'           => '',
				// The cursor is opaque to us; it only has to survive the round trip as plain text.
				'sanitize_callback' => 'sanitize_text_field',
				'validate_callback' => 'rest_validate_request_arg',
			),
			'externalOrderId' => array(
				'type'              => 'string',
				'default'           => '',
				// WooCommerce's order id (the meta box) or what the store manager typed in the search.
				'sanitize_callback' => 'sanitize_text_field',
				'validate_callback' => 'rest_validate_request_arg',
			),
			'status' => array(
				'type'              => 'string',
				'default'           => '',
				// Expedio status names are lower-case words with underscores (on_hold, shipping).
				'sanitize_callback' => 'sanitize_key',
				'validate_callback' => 'rest_validate_request_arg',
			),
		);
	}

	/**
	 * @param \WP_REST_Request $request The sanitized request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function get_items( $request ) {
		$result = $this->core->list_orders(
			array(
				'limit'  => (int) $request->get_param( 'limit' ),
				'cursor' => (string) $request->get_param( 'cursor' ),
				'status' => (string) $request->get_param( 'status' ),
				'q'      => (string) $request->get_param( 'externalOrderId' ),
			)
		);
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		return new \WP_REST_Response(
			array(
				'orders'     => $result['orders'],
				'nextCursor' => isset( $result['nextCursor'] ) && is_string( $result['nextCursor'] ) ? $result['nextCursor'] : null,
			),
			200
		);
	}
}
