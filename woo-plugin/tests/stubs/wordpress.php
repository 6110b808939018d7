<?php
/**
 * Hand-written stand-ins for the WordPress and WooCommerce functions and
 * classes the plugin calls. Packagist (WP_Mock, Brain Monkey) and WooCommerce itself are not
 * available here, so each stub copies the real function's contract closely enough for the
 * plugin's code paths: options persist in memory, nonces verify per action and user,
 * check_admin_referer()/wp_die()/wp_safe_redirect() end the "request" by throwing, HTTP calls
 * are recorded and answered by a test-provided responder, and WC_Webhook saves copies of its
 * data (so an unsaved change is lost, as with the real data store).
 *
 * @package Expedio
 */

// phpcs:disable Generic.Files.OneObjectStructurePerFile

/**
 * The "request" ended (wp_die, failed nonce).
 */
class Expedio_Test_Die extends RuntimeException {
	public int $status;

	public function __construct( string $message, int $status ) {
		parent::__construct( $message );
		$this->status = $status;
	}
}

/**
 * wp_safe_redirect() was called; stands in for the `exit` that follows it.
 */
class Expedio_Test_Redirect extends RuntimeException {
}

/**
 * Shared state of the stubs, reset before every test.
 */
final class WP_Stubs {
	/** @var array<string, mixed> */
	public static array $options = array();
	/** @var array<string, array<int, array{0: callable, 1: int}>> */
	public static array $hooks = array();
	/** @var array<string, callable> */
	public static array $activation = array();
	/** @var array<string, callable> */
	public static array $deactivation = array();
	/** @var string[] */
	public static array $caps = array();
	public static int $user_id = 1;
	/** @var array<int, array{url: string, args: array<string, mixed>}> */
	public static array $http_calls = array();
	/** @var callable|null fn(string $url, array $args): array|WP_Error */
	public static $http_responder = null;
	/** @var array<string, array<string, mixed>> */
	public static array $routes = array();
	/** @var array<string, array<string, mixed>> */
	public static array $scripts = array();
	/** @var string[] */
	public static array $styles = array();
	/** @var array<string, string[]> */
	public static array $inline_scripts = array();
	/** @var array<int, array<string, mixed>> */
	public static array $submenus = array();
	public static ?string $redirect = null;
	public static int $password_counter = 0;
	/** @var string[] Passwords wp_generate_password() returns before falling back to generated ones. */
	public static array $passwords = array();

	public static function reset(): void {
		self::$options          = array();
		self::$hooks            = array();
		self::$activation       = array();
		self::$deactivation     = array();
		self::$caps             = array();
		self::$user_id          = 1;
		self::$http_calls       = array();
		self::$http_responder   = null;
		self::$routes           = array();
		self::$scripts          = array();
		self::$styles           = array();
		self::$inline_scripts   = array();
		self::$submenus         = array();
		self::$redirect         = null;
		self::$password_counter = 0;
		self::$passwords        = array();
		$_POST                  = array();
		$_GET                   = array();
		$_REQUEST               = array();
		$GLOBALS['wpdb']        = new WPDB_Stub();
		WC_Webhook::$store      = array();
		WC_Webhook::$next_id    = 1;
		\Automattic\WooCommerce\Utilities\FeaturesUtil::$declarations = array();
	}

	/**
	 * A wp_remote_request() response array.
	 *
	 * @param mixed $body Array/object to JSON-encode, or a raw string.
	 * @return array<string, mixed>
	 */
	public static function response( int $code, $body = '' ): array {
		return array(
			'headers'  => array(),
			'body'     => is_string( $body ) ? $body : json_encode( $body ),
			'response' => array(
				'code'    => $code,
				'message' => '',
			),
		);
	}

	/**
	 * A small stand-in for WP_REST_Server::dispatch(): permission check, defaults and
	 * sanitize callbacks, then the route callback.
	 *
	 * @param array<string, mixed> $params Query parameters as the browser sent them.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function rest_dispatch( string $method, string $route, array $params ) {
		if ( ! isset( self::$routes[ $route ] ) ) {
			return new WP_Error( 'rest_no_route', 'No route was found matching the URL and request method.', array( 'status' => 404 ) );
		}
		$definition = self::$routes[ $route ];
		if ( strtoupper( $definition['methods'] ) !== $method ) {
			return new WP_Error( 'rest_no_route', 'No route was found matching the URL and request method.', array( 'status' => 404 ) );
		}
		$request = new WP_REST_Request( $method, $route );
		$request->set_attributes( array( 'args' => $definition['args'] ?? array() ) );
		// WordPress validates every supplied argument first, then sanitizes (has_valid_params, sanitize_params).
		foreach ( $definition['args'] ?? array() as $name => $arg ) {
			if ( array_key_exists( $name, $params ) && isset( $arg['validate_callback'] ) ) {
				$valid = call_user_func( $arg['validate_callback'], $params[ $name ], $request, $name );
				if ( true !== $valid ) {
					return new WP_Error( 'rest_invalid_param', 'Invalid parameter(s): ' . $name, array( 'status' => 400 ) );
				}
			}
		}
		foreach ( $definition['args'] ?? array() as $name => $arg ) {
			$value = array_key_exists( $name, $params ) ? $params[ $name ] : ( $arg['default'] ?? null );
			if ( null !== $value && isset( $arg['sanitize_callback'] ) ) {
				$value = call_user_func( $arg['sanitize_callback'], $value, $request, $name );
			}
			$request->set_param( $name, $value );
		}
		$allowed = call_user_func( $definition['permission_callback'], $request );
		if ( true !== $allowed ) {
			return is_wp_error( $allowed ) ? $allowed : new WP_Error( 'rest_forbidden', 'Sorry, you are not allowed to do that.', array( 'status' => 401 ) );
		}
		return call_user_func( $definition['callback'], $request );
	}
}

// ---------------------------------------------------------------------------------------------
// Hooks.

function add_action( $hook, $callback, $priority = 10, $accepted_args = 1 ) {
	WP_Stubs::$hooks[ $hook ][] = array( $callback, $accepted_args );
	return true;
}

function add_filter( $hook, $callback, $priority = 10, $accepted_args = 1 ) {
	return add_action( $hook, $callback, $priority, $accepted_args );
}

function do_action( $hook, ...$args ) {
	foreach ( WP_Stubs::$hooks[ $hook ] ?? array() as $entry ) {
		call_user_func_array( $entry[0], array_slice( $args, 0, $entry[1] ) );
	}
}

function apply_filters( $hook, $value, ...$args ) {
	foreach ( WP_Stubs::$hooks[ $hook ] ?? array() as $entry ) {
		$value = call_user_func_array( $entry[0], array_slice( array_merge( array( $value ), $args ), 0, $entry[1] ) );
	}
	return $value;
}

function has_action( $hook, $callback = false ) {
	foreach ( WP_Stubs::$hooks[ $hook ] ?? array() as $entry ) {
		if ( false === $callback || $entry[0] === $callback ) {
			return 10;
		}
	}
	return false;
}

function register_activation_hook( $file, $callback ) {
	WP_Stubs::$activation[ $file ] = $callback;
}

function register_deactivation_hook( $file, $callback ) {
	WP_Stubs::$deactivation[ $file ] = $callback;
}

// ---------------------------------------------------------------------------------------------
// Options.

function get_option( $name, $default_value = false ) {
	return array_key_exists( $name, WP_Stubs::$options ) ? WP_Stubs::$options[ $name ] : $default_value;
}

function update_option( $name, $value, $autoload = null ) {
	WP_Stubs::$options[ $name ] = $value;
	return true;
}

function delete_option( $name ) {
	unset( WP_Stubs::$options[ $name ] );
	return true;
}

// ---------------------------------------------------------------------------------------------
// Users, nonces, requests ending.

function current_user_can( $capability ) {
	return in_array( $capability, WP_Stubs::$caps, true );
}

function get_current_user_id() {
	return WP_Stubs::$user_id;
}

function wp_create_nonce( $action = -1 ) {
	return substr( hash( 'sha256', 'nonce|' . $action . '|' . WP_Stubs::$user_id ), 0, 10 );
}

function wp_verify_nonce( $nonce, $action = -1 ) {
	return is_string( $nonce ) && hash_equals( wp_create_nonce( $action ), $nonce ) ? 1 : false;
}

function check_admin_referer( $action = -1, $query_arg = '_wpnonce' ) {
	$result = wp_verify_nonce( $_REQUEST[ $query_arg ] ?? '', $action );
	if ( ! $result ) {
		wp_die( 'The link you followed has expired.', 'Something went wrong.', array( 'response' => 403 ) );
	}
	return $result;
}

function wp_nonce_field( $action = -1, $name = '_wpnonce' ) {
	echo '<input type="hidden" name="' . esc_attr( $name ) . '" value="' . esc_attr( wp_create_nonce( $action ) ) . '" />';
}

function wp_die( $message = '', $title = '', $args = array() ) {
	throw new Expedio_Test_Die( (string) $message, (int) ( $args['response'] ?? 500 ) );
}

/**
 * As wp_validate_redirect(): a location on another host than the site's, and not listed by the
 * allowed_redirect_hosts filter, is replaced by the admin URL.
 */
function wp_safe_redirect( $location, $status = 302 ) {
	$host    = strtolower( (string) parse_url( $location, PHP_URL_HOST ) );
	$allowed = apply_filters( 'allowed_redirect_hosts', array( 'shop.test' ), $host );
	if ( '' !== $host && ! in_array( $host, array_map( 'strtolower', $allowed ), true ) ) {
		$location = admin_url();
	}
	WP_Stubs::$redirect = $location;
	throw new Expedio_Test_Redirect( $location );
}

function wp_generate_password( $length = 12, $special_chars = true, $extra_special_chars = false ) {
	if ( array() !== WP_Stubs::$passwords ) {
		return array_shift( WP_Stubs::$passwords );
	}
	++WP_Stubs::$password_counter;
	// Deterministic but distinct per call, and containing the characters that trip up
	// signatures (& < ") when special characters are requested, like the real generator can.
	$base = hash( 'sha256', 'password|' . WP_Stubs::$password_counter );
	$pass = ( $special_chars ? '&<"' : '' ) . $base . $base;
	return substr( $pass, 0, $length );
}

// ---------------------------------------------------------------------------------------------
// Formatting and escaping (same contracts as WordPress, simplified implementations).

function __( $text, $domain = 'default' ) {
	return $text;
}

function esc_html__( $text, $domain = 'default' ) {
	return esc_html( $text );
}

function esc_html( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}

function esc_attr( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}

function esc_url( $url ) {
	return esc_attr( esc_url_raw( $url ) );
}

function esc_url_raw( $url ) {
	$url    = trim( (string) $url );
	$scheme = strtolower( (string) parse_url( $url, PHP_URL_SCHEME ) );
	if ( '' !== $scheme && ! in_array( $scheme, array( 'http', 'https' ), true ) ) {
		return '';
	}
	return $url;
}

function wp_specialchars_decode( $text, $quote_style = ENT_NOQUOTES ) {
	return htmlspecialchars_decode( (string) $text, ENT_QUOTES === $quote_style ? ENT_QUOTES | ENT_HTML401 : ENT_NOQUOTES );
}

function sanitize_text_field( $str ) {
	$str = strip_tags( (string) $str );
	$str = preg_replace( '/[\r\n\t ]+/', ' ', $str );
	return trim( $str );
}

function sanitize_key( $key ) {
	return preg_replace( '/[^a-z0-9_\-]/', '', strtolower( (string) $key ) );
}

function absint( $value ) {
	return abs( (int) $value );
}

function untrailingslashit( $value ) {
	return rtrim( (string) $value, '/\\' );
}

function wp_parse_url( $url, $component = -1 ) {
	return parse_url( (string) $url, $component );
}

function wp_json_encode( $data, $options = 0, $depth = 512 ) {
	return json_encode( $data, $options, $depth );
}

function wp_unslash( $value ) {
	return is_array( $value ) ? array_map( 'wp_unslash', $value ) : ( is_string( $value ) ? stripslashes( $value ) : $value );
}

/**
 * The subset of rest_validate_value_from_schema() the plugin's arguments use: integer, string,
 * minimum, maximum.
 */
function rest_validate_request_arg( $value, $request, $param ) {
	$schema = $request->get_attributes()['args'][ $param ] ?? array();
	$type   = $schema['type'] ?? '';
	if ( 'integer' === $type ) {
		if ( ! is_numeric( $value ) || (string) (int) $value !== (string) $value ) {
			return new WP_Error( 'rest_invalid_type', $param . ' is not of type integer.' );
		}
		if ( isset( $schema['minimum'] ) && (int) $value < $schema['minimum'] ) {
			return new WP_Error( 'rest_out_of_bounds', $param . ' must be greater than or equal to ' . $schema['minimum'] );
		}
		if ( isset( $schema['maximum'] ) && (int) $value > $schema['maximum'] ) {
			return new WP_Error( 'rest_out_of_bounds', $param . ' must be less than or equal to ' . $schema['maximum'] );
		}
	}
	if ( 'string' === $type && ! is_string( $value ) ) {
		return new WP_Error( 'rest_invalid_type', $param . ' is not of type string.' );
	}
	return true;
}

// ---------------------------------------------------------------------------------------------
// HTTP API.

function wp_remote_request( $url, $args = array() ) {
	WP_Stubs::$http_calls[] = array(
		'url'  => $url,
		'args' => $args,
	);
	if ( null === WP_Stubs::$http_responder ) {
		return new WP_Error( 'http_request_failed', 'No responder configured in the test.' );
	}
	return call_user_func( WP_Stubs::$http_responder, $url, $args );
}

function wp_remote_retrieve_response_code( $response ) {
	return is_array( $response ) ? (int) ( $response['response']['code'] ?? 0 ) : '';
}

function wp_remote_retrieve_body( $response ) {
	return is_array( $response ) ? (string) ( $response['body'] ?? '' ) : '';
}

function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}

/**
 * Minimal WP_Error: one code, one message, one data.
 */
class WP_Error {
	/** @var array<string, string[]> */
	public array $errors = array();
	/** @var array<string, mixed> */
	public array $error_data = array();

	public function __construct( $code = '', $message = '', $data = '' ) {
		if ( '' !== $code ) {
			$this->errors[ $code ][] = $message;
			if ( '' !== $data ) {
				$this->error_data[ $code ] = $data;
			}
		}
	}

	public function get_error_code() {
		return array_key_first( $this->errors ) ?? '';
	}

	public function get_error_message( $code = '' ) {
		$code = '' === $code ? $this->get_error_code() : $code;
		return $this->errors[ $code ][0] ?? '';
	}

	public function get_error_data( $code = '' ) {
		$code = '' === $code ? $this->get_error_code() : $code;
		return $this->error_data[ $code ] ?? null;
	}
}

// ---------------------------------------------------------------------------------------------
// REST API.

function register_rest_route( $route_namespace, $route, $args = array(), $override = false ) {
	WP_Stubs::$routes[ trim( $route_namespace, '/' ) . '/' . trim( $route, '/' ) ] = $args;
	return true;
}

function rest_url( $path = '' ) {
	return 'http://shop.test/wp-json/' . ltrim( $path, '/' );
}

/**
 * Minimal WP_REST_Request: method, route, params.
 */
class WP_REST_Request {
	/** @var array<string, mixed> */
	private array $params = array();

	public function __construct( private string $method = 'GET', private string $route = '' ) {
	}

	public function get_method(): string {
		return $this->method;
	}

	public function get_route(): string {
		return $this->route;
	}

	public function get_param( $key ) {
		return $this->params[ $key ] ?? null;
	}

	public function set_param( $key, $value ): void {
		$this->params[ $key ] = $value;
	}

	/** @var array<string, mixed> */
	private array $attributes = array();

	public function get_attributes(): array {
		return $this->attributes;
	}

	public function set_attributes( array $attributes ): void {
		$this->attributes = $attributes;
	}
}

/**
 * WP_REST_Server's method constants.
 */
class WP_REST_Server {
	const READABLE = 'GET';
}

/**
 * Minimal WP_REST_Controller: the namespace and base its routes are registered under.
 */
abstract class WP_REST_Controller {
	/** @var string */
	protected $namespace;

	/** @var string */
	protected $rest_base;
}

/**
 * Minimal WP_REST_Response: data and status.
 */
class WP_REST_Response {
	public function __construct( private $data = null, private int $status = 200 ) {
	}

	public function get_data() {
		return $this->data;
	}

	public function get_status(): int {
		return $this->status;
	}
}

// ---------------------------------------------------------------------------------------------
// Admin screens and assets.

function admin_url( $path = '' ) {
	return 'http://shop.test/wp-admin/' . ltrim( $path, '/' );
}

function plugin_dir_path( $file ) {
	return rtrim( dirname( $file ), '/' ) . '/';
}

function plugins_url( $path = '', $plugin = '' ) {
	return 'http://shop.test/wp-content/plugins/' . basename( dirname( $plugin ) ) . '/' . ltrim( $path, '/' );
}

function add_submenu_page( $parent_slug, $page_title, $menu_title, $capability, $menu_slug, $callback = '' ) {
	WP_Stubs::$submenus[] = compact( 'parent_slug', 'page_title', 'menu_title', 'capability', 'menu_slug', 'callback' );
	return $parent_slug . '_page_' . $menu_slug;
}

function wp_enqueue_script( $handle, $src = '', $deps = array(), $ver = false, $in_footer = false ) {
	WP_Stubs::$scripts[ $handle ] = compact( 'src', 'deps', 'ver', 'in_footer' );
}

function wp_enqueue_style( $handle ) {
	WP_Stubs::$styles[] = $handle;
}

function wp_add_inline_script( $handle, $data, $position = 'after' ) {
	WP_Stubs::$inline_scripts[ $handle ][] = $data;
	return true;
}

function submit_button( $text = null, $type = 'primary' ) {
	echo '<p class="submit"><input type="submit" class="button button-' . esc_attr( $type ) . '" value="' . esc_attr( (string) $text ) . '" /></p>';
}

// ---------------------------------------------------------------------------------------------
// WooCommerce.

/**
 * In-memory WC_Webhook: save() stores a copy of the data; loading by id reads the copy back.
 */
class WC_Webhook {
	/** @var array<int, array<string, mixed>> */
	public static array $store = array();
	public static int $next_id = 1;

	private int $id = 0;
	/** @var array<string, mixed> */
	private array $data = array(
		'name'         => '',
		'topic'        => '',
		'delivery_url' => '',
		'secret'       => '',
		// WooCommerce's default for a new webhook.
		'status'       => 'disabled',
		'user_id'      => 0,
		'api_version'  => 'wp_api_v3',
	);

	public function __construct( $data = 0 ) {
		if ( is_numeric( $data ) && (int) $data > 0 && isset( self::$store[ (int) $data ] ) ) {
			$this->id   = (int) $data;
			$this->data = self::$store[ $this->id ];
		}
	}

	public function get_id() {
		return $this->id;
	}

	/**
	 * The plain accessors (set_name(), get_topic(), …), one pair per data field as WC_Data
	 * has them; a field WC_Webhook does not have is an error, as it would be on the real class.
	 *
	 * @param string  $method get_<field> or set_<field>.
	 * @param mixed[] $args   The value, for a setter.
	 */
	public function __call( $method, $args ) {
		$verb  = substr( $method, 0, 4 );
		$field = substr( $method, 4 );
		if ( ! in_array( $verb, array( 'get_', 'set_' ), true ) || ! array_key_exists( $field, $this->data ) ) {
			throw new BadMethodCallException( 'Call to undefined method WC_Webhook::' . $method . '()' );
		}
		if ( 'get_' === $verb ) {
			return $this->data[ $field ];
		}
		$this->data[ $field ] = $args[0];
	}

	public function set_status( $value ) {
		if ( ! in_array( $value, array( 'active', 'paused', 'disabled' ), true ) ) {
			throw new InvalidArgumentException( 'Invalid webhook status ' . $value );
		}
		$this->data['status'] = $value;
	}

	public function set_user_id( $value ) {
		$this->data['user_id'] = (int) $value;
	}

	public function save() {
		if ( 0 === $this->id ) {
			$this->id = self::$next_id++;
		}
		self::$store[ $this->id ] = $this->data;
		return $this->id;
	}

	public function delete( $force_delete = false ) {
		unset( self::$store[ $this->id ] );
		return true;
	}
}

function wc_get_webhook( $id ) {
	$webhook = new WC_Webhook( $id );
	return 0 !== $webhook->get_id() ? $webhook : null;
}


// ---------------------------------------------------------------------------------------------
// Site, database and WooCommerce key helpers.

function home_url( $path = '' ) {
	return 'http://shop.test/' . ltrim( $path, '/' );
}

function get_bloginfo( $show = '' ) {
	return 'name' === $show ? 'Magazinul &amp; Co' : '';
}

/** WooCommerce's wc_rand_hash(): sha1 of a random number, 40 hex characters. */
function wc_rand_hash() {
	return sha1( (string) random_int( 0, PHP_INT_MAX ) );
}

/** WooCommerce's wc_api_hash(): how consumer keys are stored. */
function wc_api_hash( $data ) {
	return hash_hmac( 'sha256', $data, 'wc-api' );
}

/**
 * The part of wpdb the plugin uses: insert() with the new row's id in $insert_id, delete() by
 * column values; rows kept per table in memory.
 */
class WPDB_Stub {
	public string $prefix = 'wp_';
	public int $insert_id = 0;
	/** @var array<string, array<int, array<string, mixed>>> */
	public array $tables = array();
	private int $next_id = 1;

	public function insert( $table, $data, $format = null ) {
		$this->insert_id = $this->next_id++;
		$this->tables[ $table ][ $this->insert_id ] = array( 'key_id' => $this->insert_id ) + $data;
		return 1;
	}

	public function delete( $table, $where, $where_format = null ) {
		$deleted = 0;
		foreach ( $this->tables[ $table ] ?? array() as $id => $row ) {
			if ( array_intersect_assoc( array_map( 'strval', $where ), array_map( 'strval', $row ) ) === array_map( 'strval', $where ) ) {
				unset( $this->tables[ $table ][ $id ] );
				++$deleted;
			}
		}
		return $deleted;
	}
}
