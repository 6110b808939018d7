<?php
/**
 * Base test case: a fresh plugin on fresh stubs for every test, plus a fake Expedio core.
 *
 * @package Expedio
 */

use PHPUnit\Framework\TestCase;

/**
 * Shared set-up for the plugin's tests.
 */
abstract class Expedio_Test_Case extends TestCase {

	protected const CORE_URL   = 'http://127.0.0.1:3000';
	protected const CHANNEL_ID = 'ch_woo_1';
	protected const API_KEY    = 'exp_key_9f8e7d6c5b4a3210';

	protected \Expedio\Plugin $plugin;

	/** @var array<int, array{method: string, path: string, query: array<string, string>, headers: array<string, string>, body: mixed}> */
	protected array $core_requests = array();

	/** @var array<string, array{0: int, 1: mixed}> "METHOD /path" => [status, body] answered by the fake core. */
	protected array $core_answers = array();

	protected function setUp(): void {
		WP_Stubs::reset();
		WP_Stubs::$caps    = array( 'manage_woocommerce' );
		$this->plugin      = $this->make_plugin( EXPEDIO_PLUGIN_FILE );
		$this->core_answers = array();
		$this->core_requests = array();
		WP_Stubs::$http_responder = array( $this, 'fake_core' );
	}

	protected function make_plugin( string $file ): \Expedio\Plugin {
		\Expedio\Plugin::reset();
		$plugin = \Expedio\Plugin::instance( $file );
		$plugin->register_hooks();
		return $plugin;
	}

	protected function configure(): void {
		update_option( 'expedio_core_url', self::CORE_URL );
		update_option( 'expedio_channel_id', self::CHANNEL_ID );
		update_option( 'expedio_api_key', self::API_KEY );
	}

	/**
	 * Speaks the core's wire contract: 204 for the webhook secret, `{ orders, nextCursor }` for
	 * the order list, `{ error: { code, message, details } }` for whatever a test sets up.
	 *
	 * @param array<string, mixed> $args wp_remote_request() arguments.
	 * @return array<string, mixed>|WP_Error
	 */
	public function fake_core( string $url, array $args ) {
		$parts = parse_url( $url );
		parse_str( $parts['query'] ?? '', $query );
		$method = $args['method'] ?? 'GET';
		$path   = $parts['path'] ?? '/';
		$this->core_requests[] = array(
			'method'  => $method,
			'path'    => $path,
			'query'   => $query,
			'headers' => $args['headers'] ?? array(),
			'body'    => isset( $args['body'] ) ? json_decode( $args['body'], true ) : null,
		);
		$key = $method . ' ' . $path;
		if ( isset( $this->core_answers[ $key ] ) ) {
			[ $status, $body ] = $this->core_answers[ $key ];
			return $body instanceof WP_Error ? $body : WP_Stubs::response( $status, $body );
		}
		if ( 'PUT' === $method && '/api/v1/channels/' . self::CHANNEL_ID . '/webhook-secret' === $path ) {
			return WP_Stubs::response( 204 );
		}
		return WP_Stubs::response( 404, array( 'error' => array( 'code' => 'NOT_FOUND', 'message' => 'No route ' . $key . '.', 'details' => null ) ) );
	}

	protected function activate(): void {
		call_user_func( WP_Stubs::$activation[ EXPEDIO_PLUGIN_FILE ] );
	}

	protected function deactivate(): void {
		call_user_func( WP_Stubs::$deactivation[ EXPEDIO_PLUGIN_FILE ] );
	}

	/**
	 * @return array<int, array<string, mixed>>
	 */
	protected function webhooks(): array {
		return WC_Webhook::$store;
	}

	/**
	 * Renders the stored admin notices as WordPress would on admin_notices.
	 */
	protected function rendered_notices(): string {
		ob_start();
		do_action( 'admin_notices' );
		return (string) ob_get_clean();
	}
}
