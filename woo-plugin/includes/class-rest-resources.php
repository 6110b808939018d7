<?php
/**
 * /wp-json/expedio/v1/... — what the admin app and the order box read and do, forwarded to the
 * core's /api/v1/... with the stored key and this channel's id.
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * One route per resource family; each request is matched against a closed list of (method, path)
 * pairs, so the browser reaches only the core calls the screens make and nothing else the key
 * could do. Every route checks the capability; WordPress's REST server has already turned a
 * cookie request without a valid wp_rest nonce (X-WP-Nonce, or `_wpnonce` on a PDF link) into a
 * logged-out one, which has no capability. The core's URL and key never reach the browser.
 */
final class Rest_Resources {

	public const NAMESPACE = 'expedio/v1';

	/** Query parameters that belong to WordPress, not to the core. */
	private const WP_PARAMS = array( '_wpnonce', 'rest_route', '_locale', '_fields', '_envelope', '_method', 'path' );

	public function __construct( private Core_Client $core, private Settings $settings ) {
	}

	/**
	 * The allowed calls: method, the path under expedio/v1 (a regex, `\d+` for ids) and whether the
	 * core answers a PDF. The first block is JSON, the second PDFs streamed through.
	 *
	 * @return list<array{0: string, 1: string, 2: bool}>
	 */
	public static function allowed(): array {
		$id = '\d{1,18}';
		return array(
			array( 'GET', "orders/$id", false ),
			array( 'GET', "orders/$id/(timeline|returnable)", false ),
			array( 'POST', "orders/$id/(confirm|hold|cancel|approve|reject|invoice|delivery-notes)", false ),
			array( 'GET', 'pick-lists', false ),
			array( 'GET', "pick-lists/$id", false ),
			array( 'POST', 'pick-lists', false ),
			array( 'GET', 'packing-lists', false ),
			array( 'GET', "packing-lists/$id", false ),
			array( 'GET', "packing-lists/$id/quotes", false ),
			array( 'POST', "packing-lists/$id/awb", false ),
			array( 'POST', "delivery-notes/$id/packing-lists", false ),
			array( 'POST', 'delivery-notes/recheck', false ),
			array( 'GET', 'shipments', false ),
			array( 'GET', "shipments/$id", false ),
			array( 'POST', "shipments/$id/(cancel|refresh)", false ),
			array( 'POST', 'label-batches', false ),
			array( 'GET', "label-batches/$id", false ),
			array( 'GET', 'invoices', false ),
			array( 'POST', "invoices/$id/e-invoice/resubmit", false ),
			array( 'GET', 'returns', false ),
			array( 'GET', "returns/$id", false ),
			array( 'POST', 'returns', false ),
			array( 'GET', 'stalls', false ),
			array( 'GET', 'reports/[a-z-]{1,40}', false ),
			array( 'GET', 'settings', false ),
			array( 'GET', 'warehouses', false ),
			array( 'PATCH', 'settings', false ),
			array( 'GET', "shipments/$id/label", true ),
			array( 'GET', "label-batches/$id/pdf", true ),
			array( 'GET', "invoices/$id/pdf", true ),
			array( 'GET', 'shipping/manifest', true ),
		);
	}

	public function register_routes(): void {
		$families = 'orders/\d+|pick-lists|packing-lists|delivery-notes|shipments|shipping|label-batches|invoices|returns|stalls|reports|settings|warehouses';
		register_rest_route(
			self::NAMESPACE,
			'/(?P<path>(?:' . $families . ')(?:/[a-z0-9-]+)*)',
			array(
				'methods'             => array( 'GET', 'POST', 'PATCH' ),
				'callback'            => array( $this, 'forward' ),
				'permission_callback' => array( $this, 'permission' ),
			)
		);
		add_filter( 'rest_pre_serve_request', array( $this, 'serve_pdf' ), 10, 4 );
	}

	/**
	 * @param \WP_REST_Request $request The request.
	 */
	public function permission( $request ): bool {
		return Access::allowed();
	}

	/**
	 * Which allowed call a method and path are: [core path, is PDF], or null.
	 *
	 * @return array{0: string, 1: bool}|null
	 */
	public function match( string $method, string $path ): ?array {
		foreach ( self::allowed() as [ $m, $pattern, $pdf ] ) {
			if ( $m === $method && 1 === preg_match( '#^' . $pattern . '$#', $path ) ) {
				$core = 'settings' === $path ? 'channels/' . rawurlencode( $this->settings->channel_id() ) . '/settings' : $path;
				return array( '/api/v1/' . $core, $pdf );
			}
		}
		return null;
	}

	/**
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function forward( $request ) {
		$method = strtoupper( (string) $request->get_method() );
		$path   = (string) $request->get_param( 'path' );
		$target = $this->match( $method, $path );
		if ( null === $target ) {
			return new \WP_Error(
				'expedio_not_allowed',
				/* translators: 1: HTTP method, 2: path */
				sprintf( __( '%1$s %2$s is not something the Expedio screens do.', 'expedio' ), $method, $path ),
				array( 'status' => 404 )
			);
		}
		[ $core_path, $pdf ] = $target;

		$query = array();
		foreach ( $request->get_query_params() as $name => $value ) {
			if ( is_string( $name ) && ! in_array( $name, self::WP_PARAMS, true ) && is_scalar( $value ) && preg_match( '/^[A-Za-z][A-Za-z0-9_]{0,40}$/', $name ) ) {
				$query[ $name ] = sanitize_text_field( (string) $value );
			}
		}

		if ( $pdf ) {
			$bytes = $this->core->pdf( $core_path . '?' . http_build_query( array( 'channelId' => $this->settings->channel_id() ) + $query, '', '&', PHP_QUERY_RFC3986 ) );
			if ( is_wp_error( $bytes ) ) {
				return $bytes;
			}
			$response = new \WP_REST_Response( null, 200 );
			$response->header( 'Content-Type', 'application/pdf' );
			$response->header( 'Content-Disposition', 'inline; filename="expedio-' . sanitize_file_name( str_replace( '/', '-', $path ) ) . '.pdf"' );
			$response->header( 'X-Content-Type-Options', 'nosniff' );
			$response->set_data( array( 'expedioPdf' => base64_encode( $bytes ) ) );
			return $response;
		}

		$json = null;
		if ( 'GET' !== $method ) {
			$body = $request->get_json_params();
			$json = is_array( $body ) ? $body : array();
		}
		$result = $this->core->call( $method, $core_path, $query, $json );
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		return new \WP_REST_Response( $result ?? array(), 200 );
	}

	/**
	 * rest_pre_serve_request: a PDF goes out as its bytes, not as JSON.
	 *
	 * @param bool              $served  Whether the request was already served.
	 * @param \WP_HTTP_Response $result  The response.
	 * @param \WP_REST_Request  $request The request.
	 * @param \WP_REST_Server   $server  The server.
	 */
	public function serve_pdf( $served, $result, $request, $server ): bool {
		$data = $result instanceof \WP_HTTP_Response ? $result->get_data() : null;
		if ( $served || ! is_array( $data ) || ! isset( $data['expedioPdf'] ) || 200 !== $result->get_status() ) {
			return (bool) $served;
		}
		// The PDF is the core's bytes, streamed as they came (never HTML).
		echo base64_decode( (string) $data['expedioPdf'] ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
		return true;
	}
}
