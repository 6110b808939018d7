<?php
/**
 * Base test case: the real WordPress loaded by the bootstrap, every test inside a database
 * transaction that is rolled back, WordPress's hooks restored, a fresh plugin instance, and a
 * fake Expedio core answering WordPress's HTTP API (the pre_http_request filter).
 *
 * @package Expedio
 */

use PHPUnit\Framework\TestCase;

/**
 * wp_die() in a test: the message and the HTTP status it would have answered with.
 */
class Expedio_Test_Die extends RuntimeException {
	public function __construct( string $message, public int $status ) {
		parent::__construct( $message );
	}
}

/**
 * wp_redirect() in a test: the location (the plugin exits right after redirecting).
 */
class Expedio_Test_Redirect extends RuntimeException {
}

/**
 * Shared set-up for the plugin's tests.
 */
abstract class Expedio_Test_Case extends TestCase {

	protected const CORE_URL   = 'http://127.0.0.1:3000';
	protected const CHANNEL_ID = 'ch_woo_1';
	protected const API_KEY    = 'exp_key_9f8e7d6c5b4a3210';

	/** @var array<string, int> Users made once for the run: manager, second_manager, customer, subscriber. */
	protected static array $users = array();

	/** @var array<string, mixed> WordPress's hook globals right after loading, restored before every test. */
	private static array $saved_hooks = array();

	protected \Expedio\Plugin $plugin;

	/** @var array<int, array{method: string, path: string, query: array<string, string>, headers: array<string, string>, body: mixed, args: array<string, mixed>}> */
	protected array $core_requests = array();

	/** @var array<string, array{0: int, 1: mixed}|callable> "METHOD /path" => [status, body] answered by the fake core, or fn( query, body ) => [status, body]. */
	protected array $core_answers = array();

	/** @var string[] What wp_generate_password() returns next (random_password filter). */
	protected array $passwords = array();

	protected ?string $redirect = null;

	/**
	 * Once per run: the users the tests log in as, then a snapshot of the hooks.
	 */
	public static function set_up_site(): void {
		foreach ( array( 'manager' => 'shop_manager', 'second_manager' => 'shop_manager', 'customer' => 'customer', 'subscriber' => 'subscriber' ) as $login => $role ) {
			self::$users[ $login ] = (int) wp_insert_user(
				array(
					'user_login' => $login,
					'user_pass'  => $login . '-password',
					'user_email' => $login . '@shop.test',
					'role'       => $role,
				)
			);
		}
		foreach ( array( 'wp_filter', 'wp_actions', 'wp_current_filter' ) as $global ) {
			self::$saved_hooks[ $global ] = self::copy_hooks( $GLOBALS[ $global ] ?? array() );
		}
	}

	/**
	 * @param array<string, mixed> $hooks A hook global.
	 * @return array<string, mixed>
	 */
	private static function copy_hooks( array $hooks ): array {
		return array_map( static fn( $hook ) => is_object( $hook ) ? clone $hook : $hook, $hooks );
	}

	protected function setUp(): void {
		global $wpdb;
		foreach ( self::$saved_hooks as $global => $hooks ) {
			$GLOBALS[ $global ] = self::copy_hooks( $hooks );
		}
		$this->remove_plugin_hooks();
		$wpdb->query( 'SET autocommit = 0' );
		$wpdb->query( 'START TRANSACTION' );
		wp_cache_flush();
		$GLOBALS['wp_rest_server'] = null;
		$GLOBALS['menu']           = array();
		$GLOBALS['submenu']        = array();
		$_GET                      = array();
		$_POST                     = array();
		$_REQUEST                  = array();
		\Automattic\WooCommerce\Utilities\FeaturesUtil::$declarations = array();

		$this->log_in( 'manager' );
		$this->plugin = $this->make_plugin( EXPEDIO_PLUGIN_FILE );

		add_filter( 'wp_die_handler', fn() => array( $this, 'die_handler' ) );
		add_filter( 'wp_die_ajax_handler', fn() => array( $this, 'die_handler' ) );
		add_filter( 'wp_die_json_handler', fn() => array( $this, 'die_handler' ) );
		add_filter(
			'wp_redirect',
			function ( $location ) {
				$this->redirect = (string) $location;
				throw new Expedio_Test_Redirect( (string) $location );
			}
		);
		add_filter( 'pre_http_request', array( $this, 'fake_core' ), 10, 3 );
		add_filter( 'random_password', fn( $password ) => array() === $this->passwords ? $password : array_shift( $this->passwords ) );
	}

	protected function tearDown(): void {
		global $wpdb;
		$wpdb->query( 'ROLLBACK' );
		wp_cache_flush();
		wp_set_current_user( 0 );
		$GLOBALS['wp_scripts'] = null;
		$GLOBALS['wp_styles']  = null;
		unset( $GLOBALS['current_screen'] );
	}

	/**
	 * The plugin registered its hooks when WordPress loaded it; each test builds its own
	 * instance, so the loaded one's callbacks come off first.
	 */
	private function remove_plugin_hooks(): void {
		foreach ( $GLOBALS['wp_filter'] as $hook ) {
			foreach ( $hook->callbacks as $priority => $callbacks ) {
				foreach ( $callbacks as $callback ) {
					$function = $callback['function'];
					if ( is_array( $function ) && is_object( $function[0] ) && str_starts_with( get_class( $function[0] ), 'Expedio\\' ) ) {
						$hook->remove_filter( '', $function, $priority );
					}
				}
			}
		}
	}

	/**
	 * A plugin instance for this file, the only one hooked in (a previous instance's hooks come off).
	 */
	protected function make_plugin( string $file ): \Expedio\Plugin {
		$this->remove_plugin_hooks();
		\Expedio\Plugin::reset();
		$plugin = \Expedio\Plugin::instance( $file );
		$plugin->register_hooks();
		return $plugin;
	}

	protected function log_in( string $who ): void {
		wp_set_current_user( self::$users[ $who ] );
	}

	/**
	 * @param string|array<string, mixed>|int $args wp_die()'s third argument.
	 */
	public function die_handler( $message, $title = '', $args = array() ): void {
		$status = is_int( $args ) ? $args : (int) ( is_array( $args ) && isset( $args['response'] ) ? $args['response'] : 500 );
		throw new Expedio_Test_Die( is_string( $message ) ? $message : ( $message instanceof WP_Error ? $message->get_error_message() : '' ), $status );
	}

	protected function configure(): void {
		update_option( 'expedio_core_url', self::CORE_URL );
		update_option( 'expedio_channel_id', self::CHANNEL_ID );
		update_option( 'expedio_api_key', self::API_KEY, false );
	}

	/**
	 * An answer in the shape WP_Http::request() returns.
	 *
	 * @param mixed $body Array (sent as JSON) or string.
	 * @return array<string, mixed>
	 */
	protected static function response( int $code, $body = '' ): array {
		return array(
			'headers'  => array( 'content-type' => 'application/json' ),
			'body'     => is_array( $body ) ? (string) wp_json_encode( $body ) : (string) $body,
			'response' => array(
				'code'    => $code,
				'message' => get_status_header_desc( $code ),
			),
			'cookies'  => array(),
			'filename' => null,
		);
	}

	/**
	 * pre_http_request: speaks the core's wire contract. 204 for the webhook secret, whatever a
	 * test set up in core_answers, else the core's 404 error body.
	 *
	 * @param false|array<string, mixed> $pre  Short-circuit value so far.
	 * @param array<string, mixed>       $args Request arguments after WordPress's defaults.
	 * @return array<string, mixed>|WP_Error
	 */
	public function fake_core( $pre, $args, $url ) {
		$parts = wp_parse_url( $url );
		parse_str( $parts['query'] ?? '', $query );
		$method = $args['method'] ?? 'GET';
		$path   = $parts['path'] ?? '/';
		$this->core_requests[] = array(
			'method'  => $method,
			'path'    => $path,
			'query'   => $query,
			'headers' => $args['headers'] ?? array(),
			'body'    => isset( $args['body'] ) && is_string( $args['body'] ) ? json_decode( $args['body'], true ) : null,
			'args'    => $args,
		);
		$key = $method . ' ' . $path;
		if ( isset( $this->core_answers[ $key ] ) ) {
			$answer            = $this->core_answers[ $key ];
			[ $status, $body ] = is_callable( $answer ) ? $answer( $query, end( $this->core_requests )['body'] ) : $answer;
			return $body instanceof WP_Error ? $body : self::response( $status, $body );
		}
		if ( 'PUT' === $method && '/api/v1/channels/' . self::CHANNEL_ID . '/webhook-secret' === $path ) {
			return self::response( 204 );
		}
		return self::response( 404, array( 'error' => array( 'code' => 'NOT_FOUND', 'message' => 'No route ' . $key . '.', 'details' => null ) ) );
	}

	/**
	 * A request through WordPress's REST server, as /wp-json/ would serve it (permission checks,
	 * argument validation and sanitising included).
	 *
	 * @param array<string, mixed> $params Query (GET) or body (other methods) parameters.
	 */
	protected function rest( string $method, string $route, array $params = array() ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $route );
		if ( 'GET' === $method ) {
			$request->set_query_params( $params );
		} else {
			$request->set_body_params( $params );
		}
		return rest_do_request( $request );
	}

	/** @var array<int, array<string, mixed>> WooCommerce order id => the core's order (see core_has_order()). */
	protected array $core_orders = array();

	/**
	 * The fake core knows this WooCommerce order as ord_<id>: the order list (by externalOrderId or
	 * all), the order with its lines, its shipments and packing lists, as the core's routes answer.
	 *
	 * @param array<string, mixed> $with lines, shipments, packingLists, holdReason.
	 */
	protected function core_has_order( int $wc_id, string $status, array $with = array() ): string {
		$id                         = 'ord_' . $wc_id;
		$this->core_orders[ $wc_id ] = array(
			'id'              => $id,
			'channelId'       => self::CHANNEL_ID,
			'externalOrderId' => (string) $wc_id,
			'externalNumber'  => (string) $wc_id,
			'status'          => $status,
			'holdReason'      => $with['holdReason'] ?? null,
			'total'           => '149.90',
			'currency'        => 'RON',
		);
		$this->core_answers['GET /api/v1/orders'] = function ( array $query ) {
			$orders = array_values( $this->core_orders );
			if ( isset( $query['externalOrderId'] ) ) {
				$orders = array_values( array_filter( $orders, static fn( $o ) => $o['externalOrderId'] === $query['externalOrderId'] ) );
			}
			return array( 200, array( 'orders' => $orders, 'nextCursor' => null ) );
		};
		$this->core_answers[ 'GET /api/v1/orders/' . $id ]                = fn() => array( 200, $this->core_orders[ $wc_id ] + array( 'lines' => $with['lines'] ?? array() ) );
		$this->core_answers[ 'GET /api/v1/shipments' ]                    = function ( array $query ) {
			return array( 200, array( 'shipments' => $this->core_shipments[ $query['orderId'] ?? '' ] ?? array() ) );
		};
		$this->core_shipments[ $id ]                                      = $with['shipments'] ?? array();
		$this->core_answers[ 'GET /api/v1/packing-lists' ]                = function ( array $query ) {
			return array( 200, array( 'packingLists' => $this->core_packing_lists[ $query['orderId'] ?? '' ] ?? array() ) );
		};
		$this->core_packing_lists[ $id ]                                  = $with['packingLists'] ?? array();
		return $id;
	}

	/** @var array<string, array<int, array<string, mixed>>> */
	protected array $core_shipments = array();
	/** @var array<string, array<int, array<string, mixed>>> */
	protected array $core_packing_lists = array();

	/**
	 * @return array<int, array<string, mixed>> The requests the fake core received for this method and path.
	 */
	protected function core_calls( string $method, string $path ): array {
		return array_values( array_filter( $this->core_requests, static fn( $r ) => $r['method'] === $method && $r['path'] === $path ) );
	}

	protected function activate(): void {
		do_action( 'activate_' . plugin_basename( EXPEDIO_PLUGIN_FILE ) );
	}

	protected function deactivate(): void {
		do_action( 'deactivate_' . plugin_basename( EXPEDIO_PLUGIN_FILE ) );
	}

	/**
	 * The rows of WooCommerce's webhook table, by id.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	protected function webhooks(): array {
		global $wpdb;
		$rows = array();
		foreach ( $wpdb->get_results( "SELECT * FROM {$wpdb->prefix}wc_webhooks ORDER BY webhook_id", ARRAY_A ) as $row ) {
			$row['user_id']                    = (int) $row['user_id'];
			$row['api_version']                = 'wp_api_v' . $row['api_version'];
			$rows[ (int) $row['webhook_id'] ] = $row;
		}
		return $rows;
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
