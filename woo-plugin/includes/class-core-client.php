<?php
/**
 * HTTP client for the Expedio core API. Every call carries the channel's API key as a bearer
 * token; every failure comes back as a WP_Error whose message a merchant can act on.
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * Talks to the core: registers the webhook secret and lists the channel's orders.
 */
final class Core_Client {

	public function __construct( private Settings $settings ) {
	}

	/**
	 * PUT /api/v1/channels/{channelId}/webhook-secret — the core answers 204 and from then on
	 * verifies X-WC-Webhook-Signature with this secret.
	 *
	 * @return true|\WP_Error
	 */
	public function put_webhook_secret( string $secret ) {
		$response = $this->request(
			'PUT',
			'/api/v1/channels/' . rawurlencode( $this->settings->channel_id() ) . '/webhook-secret',
			array( 'secret' => $secret )
		);
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		return true;
	}

	/**
	 * GET /api/v1/orders?channelId=…&limit=…&cursor=…&status=… — returns the decoded
	 * `{ orders, nextCursor }` body unchanged.
	 *
	 * @param array{limit?: int, cursor?: string, status?: string, q?: string} $query Filters; empty values are left out (q: the store's order number or id).
	 * @return array<string, mixed>|\WP_Error
	 */
	public function list_orders( array $query ) {
		$params = array( 'channelId' => $this->settings->channel_id() );
		foreach ( array( 'limit', 'cursor', 'status', 'q' ) as $name ) {
			if ( isset( $query[ $name ] ) && '' !== (string) $query[ $name ] && 0 !== $query[ $name ] ) {
				$params[ $name ] = (string) $query[ $name ];
			}
		}
		$response = $this->request( 'GET', '/api/v1/orders?' . http_build_query( $params, '', '&', PHP_QUERY_RFC3986 ) );
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		$body = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( ! is_array( $body ) || ! isset( $body['orders'] ) || ! is_array( $body['orders'] ) ) {
			return new \WP_Error(
				'expedio_core_bad_response',
				__( 'The Expedio core answered the order list with a body that is not { "orders": [...] }.', 'expedio' ),
				array( 'status' => 502 )
			);
		}
		return $body;
	}

	/**
	 * POST /api/v1/installations/woocommerce — hands the core the REST key the plugin just created.
	 * The bearer is the one-time connect code the core's consent page sent back (or an API key of
	 * the workspace); the answer is `{ channelId, apiKey, created, webhookUrl, catalogSyncQueued }`.
	 * Only the core URL needs to be saved: the channel id and API key are what this call returns.
	 *
	 * @param array<string, string> $body storeUrl, storeName, consumerKey, consumerSecret, keyPermissions.
	 * @return array{channelId: string, apiKey: string}|\WP_Error
	 */
	public function install_woocommerce( string $bearer, array $body ) {
		if ( '' === $this->settings->core_url() ) {
			return new \WP_Error( 'expedio_not_configured', __( 'Enter the Expedio core URL first.', 'expedio' ), array( 'status' => 503 ) );
		}
		$response = $this->send( 'POST', '/api/v1/installations/woocommerce', $bearer, $body );
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		$answer = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( ! is_array( $answer ) || ! isset( $answer['channelId'], $answer['apiKey'] ) || ! is_string( $answer['channelId'] ) || ! is_string( $answer['apiKey'] ) ) {
			return new \WP_Error(
				'expedio_core_bad_response',
				__( 'The Expedio core answered the connection with a body that has no channelId and apiKey.', 'expedio' ),
				array( 'status' => 502 )
			);
		}
		return array(
			'channelId' => $answer['channelId'],
			'apiKey'    => $answer['apiKey'],
		);
	}

	/**
	 * One JSON call to the core on behalf of this channel (the order screen, the bulk jobs): the
	 * decoded body, `null` for an empty one, or the WP_Error request() makes of any failure.
	 *
	 * @param array<string, scalar>     $query Query parameters; the channel id is always added.
	 * @param array<string, mixed>|null $json  Body to send as JSON.
	 * @return array<mixed>|null|\WP_Error
	 */
	public function call( string $method, string $path, array $query = array(), ?array $json = null ) {
		$query    = array( 'channelId' => $this->settings->channel_id() ) + $query;
		$response = $this->request( $method, $path . '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 ), $json );
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		$raw = (string) wp_remote_retrieve_body( $response );
		if ( '' === $raw ) {
			return null;
		}
		$body = json_decode( $raw, true );
		if ( ! is_array( $body ) ) {
			return new \WP_Error( 'expedio_core_bad_response', __( 'The Expedio core answered with a body that is not JSON.', 'expedio' ), array( 'status' => 502 ) );
		}
		return $body;
	}

	/**
	 * A PDF of the core (a label, a label batch, an invoice): its bytes, or a WP_Error.
	 *
	 * @return string|\WP_Error
	 */
	public function pdf( string $path ) {
		$response = $this->request( 'GET', $path );
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		$bytes = (string) wp_remote_retrieve_body( $response );
		if ( ! str_starts_with( $bytes, '%PDF' ) ) {
			return new \WP_Error( 'expedio_core_bad_response', __( 'The Expedio core did not answer with a PDF.', 'expedio' ), array( 'status' => 502 ) );
		}
		return $bytes;
	}

	/**
	 * Sends one request. A transport failure or a non-2xx answer becomes a WP_Error with
	 * status 502 (the core, not the browser's request, is what failed) and the core's own
	 * message, since core messages are written for people ("Channel 7 was not found.").
	 *
	 * @param array<string, mixed>|null $json Body to send as JSON.
	 * @return array<string, mixed>|\WP_Error The wp_remote_request() response.
	 */
	private function request( string $method, string $path, ?array $json = null ) {
		if ( ! $this->settings->is_configured() ) {
			return new \WP_Error(
				'expedio_not_configured',
				__( 'Expedio is not connected yet: press "Connect to Expedio" on WooCommerce → Expedio.', 'expedio' ),
				array( 'status' => 503 )
			);
		}
		return $this->send( $method, $path, $this->settings->api_key(), $json );
	}

	/**
	 * @param array<string, mixed>|null $json Body to send as JSON.
	 * @return array<string, mixed>|\WP_Error The wp_remote_request() response.
	 */
	private function send( string $method, string $path, string $bearer, ?array $json ) {
		$args = array(
			'method'      => $method,
			'timeout'     => 15,
			// A 3xx from the core is a misconfigured URL; following it could send the key elsewhere.
			'redirection' => 0,
			'headers'     => array(
				'Authorization' => 'Bearer ' . $bearer,
				'Accept'        => 'application/json',
			),
		);
		if ( null !== $json ) {
			$args['headers']['Content-Type'] = 'application/json';
			// An empty body is the JSON object {} (the core's bodies are objects), not PHP's [].
			$args['body'] = array() === $json ? '{}' : wp_json_encode( $json );
		}

		$url      = $this->settings->core_url() . $path;
		$response = wp_remote_request( $url, $args );

		if ( is_wp_error( $response ) ) {
			return new \WP_Error(
				'expedio_core_unreachable',
				sprintf(
					/* translators: 1: core URL, 2: transport error */
					__( 'Could not reach the Expedio core at %1$s: %2$s', 'expedio' ),
					$this->settings->core_url(),
					$response->get_error_message()
				),
				array( 'status' => 502 )
			);
		}

		$code = (int) wp_remote_retrieve_response_code( $response );
		if ( $code >= 200 && $code < 300 ) {
			return $response;
		}

		$body    = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		$error   = is_array( $body ) && isset( $body['error'] ) && is_array( $body['error'] ) ? $body['error'] : array();
		$message = isset( $error['message'] ) && is_string( $error['message'] ) && '' !== $error['message']
			? $error['message']
			/* translators: %d: HTTP status code */
			: sprintf( __( 'the core answered HTTP %d without an error message.', 'expedio' ), $code );

		return new \WP_Error(
			'expedio_core_error',
			sprintf(
				/* translators: 1: HTTP status code, 2: the core's error message */
				__( 'Expedio core (HTTP %1$d): %2$s', 'expedio' ),
				$code,
				$message
			),
			array(
				'status'      => 502,
				'core_status' => $code,
				'core_code'   => isset( $error['code'] ) && is_string( $error['code'] ) ? $error['code'] : null,
			)
		);
	}
}
