<?php
/**
 * The plugin's stored settings: where the Expedio core is, which channel this store is,
 * and the API key the plugin uses to talk to the core.
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * Reads, validates and saves the settings kept in WordPress options.
 */
final class Settings {

	/**
	 * Base URL of the core without a trailing slash, e.g. http://127.0.0.1:3000.
	 */
	public function core_url(): string {
		return untrailingslashit( Options::text( Options::CORE_URL ) );
	}

	public function channel_id(): string {
		return Options::text( Options::CHANNEL_ID );
	}

	/**
	 * The full key. Only the core client reads it; anything rendered uses masked_api_key().
	 */
	public function api_key(): string {
		return Options::text( Options::API_KEY );
	}

	public function is_configured(): bool {
		return '' !== $this->core_url() && '' !== $this->channel_id() && '' !== $this->api_key();
	}

	/**
	 * What the browser may see of the key: its last four characters, so the merchant can tell
	 * which key is stored without the page (or its cache, or a screenshot) leaking it.
	 */
	public function masked_api_key(): string {
		$key = $this->api_key();
		if ( '' === $key ) {
			return '';
		}
		$visible = strlen( $key ) > 8 ? substr( $key, -4 ) : '';
		return str_repeat( '•', 8 ) . $visible;
	}

	/**
	 * Where WooCommerce delivers our order webhooks; the core routes them by channel id.
	 */
	public function webhook_delivery_url(): string {
		return $this->core_url() . '/webhooks/woocommerce/' . rawurlencode( $this->channel_id() );
	}

	/**
	 * Validates and stores the submitted form values. An empty API key field keeps the stored
	 * key, because the form never receives the key back and must not erase it on every save.
	 *
	 * @param array<string, mixed> $input Unslashed form fields.
	 * @return string[] Validation errors, empty when everything was saved.
	 */
	public function save( array $input ): array {
		$errors = array();

		$core_url_error = $this->save_core_url( isset( $input['core_url'] ) ? (string) $input['core_url'] : '' );
		if ( null !== $core_url_error ) {
			$errors[] = $core_url_error;
		}

		$channel_id = isset( $input['channel_id'] ) ? trim( sanitize_text_field( (string) $input['channel_id'] ) ) : '';
		if ( '' === $channel_id || ! preg_match( '/^[A-Za-z0-9_-]{1,64}$/', $channel_id ) ) {
			$errors[] = __( 'The channel id must be 1–64 letters, digits, dashes or underscores, as shown in Expedio.', 'expedio' );
		} else {
			update_option( Options::CHANNEL_ID, $channel_id );
		}

		$api_key = isset( $input['api_key'] ) ? trim( sanitize_text_field( (string) $input['api_key'] ) ) : '';
		if ( '' !== $api_key ) {
			// Not autoloaded: the key is needed only when talking to the core, not on every page.
			update_option( Options::API_KEY, $api_key, false );
		} elseif ( '' === $this->api_key() ) {
			$errors[] = __( 'Enter the API key that Expedio gave you for this channel.', 'expedio' );
		}

		return $errors;
	}

	/**
	 * Validates and stores the core URL.
	 *
	 * @param string $raw The submitted field, unslashed.
	 * @return string|null The error to show, or null when it was saved.
	 */
	public function save_core_url( string $raw ): ?string {
		$core_url = trim( sanitize_text_field( $raw ) );
		$scheme   = strtolower( (string) wp_parse_url( $core_url, PHP_URL_SCHEME ) );
		if ( '' === $core_url || ! in_array( $scheme, array( 'http', 'https' ), true ) || ! wp_parse_url( $core_url, PHP_URL_HOST ) ) {
			return __( 'The core URL must be an http(s) address, for example http://127.0.0.1:3000.', 'expedio' );
		}
		update_option( Options::CORE_URL, untrailingslashit( esc_url_raw( $core_url ) ) );
		return null;
	}

	/**
	 * allowed_redirect_hosts: "Connect to Expedio" sends the browser to the core's consent page
	 * with wp_safe_redirect(), which otherwise only redirects within this site.
	 *
	 * @param string[] $hosts Hosts wp_safe_redirect() may send the browser to.
	 * @return string[]
	 */
	public function allow_core_redirect( $hosts ): array {
		$hosts     = is_array( $hosts ) ? $hosts : array();
		$core_host = (string) wp_parse_url( $this->core_url(), PHP_URL_HOST );
		if ( '' !== $core_host ) {
			$hosts[] = $core_host;
		}
		return $hosts;
	}

	/**
	 * Lets WordPress's "safe" HTTP functions reach the core. WooCommerce delivers webhooks with
	 * wp_safe_remote_request(), which refuses loopback/private hosts and any port other than
	 * 80, 443 and 8080, so a core at http://127.0.0.1:3000 would never receive a delivery.
	 * Only the exact configured host (and its port) is allowed; every other URL keeps the
	 * protection.
	 *
	 * @param bool   $external Whether WordPress already considers the host external.
	 * @param string $host     Host of the request.
	 */
	public function allow_core_host( $external, $host ): bool {
		return $this->is_core_host( $host ) || (bool) $external;
	}

	/**
	 * See allow_core_host(): adds the core's port for requests to the core's host only.
	 *
	 * @param int[]  $ports Ports WordPress allows for safe requests.
	 * @param string $host  Host of the request.
	 * @return int[]
	 */
	public function allow_core_port( $ports, $host = '' ): array {
		$ports     = is_array( $ports ) ? $ports : array();
		$core_port = (int) wp_parse_url( $this->core_url(), PHP_URL_PORT );
		if ( $core_port > 0 && $this->is_core_host( $host ) ) {
			$ports[] = $core_port;
		}
		return $ports;
	}

	/**
	 * Host names are case-insensitive; with no core URL saved, no host is the core's.
	 *
	 * @param string $host Host of the request.
	 */
	private function is_core_host( $host ): bool {
		$core_host = (string) wp_parse_url( $this->core_url(), PHP_URL_HOST );
		return '' !== $core_host && strtolower( (string) $host ) === strtolower( $core_host );
	}
}
