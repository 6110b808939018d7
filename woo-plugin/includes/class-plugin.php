<?php
/**
 * Wires the plugin's pieces to WordPress and WooCommerce hooks.
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * Composition root: builds the objects once and registers every hook in one place.
 */
final class Plugin {

	private static ?Plugin $instance = null;

	public readonly Settings $settings;
	public readonly Notices $notices;
	public readonly Core_Client $core;
	public readonly Webhooks $webhooks;
	public readonly Rest_Orders $rest_orders;
	public readonly Admin_Page $admin_page;
	public readonly Connect $connect;

	public function __construct( private string $plugin_file ) {
		$this->settings    = new Settings();
		$this->notices     = new Notices();
		$this->core        = new Core_Client( $this->settings );
		$this->webhooks    = new Webhooks( $this->settings, $this->core, $this->notices );
		$this->rest_orders = new Rest_Orders( $this->core );
		$this->admin_page  = new Admin_Page( $plugin_file, $this->settings, $this->webhooks, $this->notices );
		$this->connect     = new Connect( $this->settings, $this->core, $this->webhooks, $this->notices );
	}

	public static function instance( string $plugin_file ): Plugin {
		if ( null === self::$instance ) {
			self::$instance = new Plugin( $plugin_file );
		}
		return self::$instance;
	}

	/**
	 * Forgets the shared instance (tests build a fresh plugin per case).
	 */
	public static function reset(): void {
		self::$instance = null;
	}

	public function register_hooks(): void {
		register_activation_hook( $this->plugin_file, array( $this, 'activate' ) );
		register_deactivation_hook( $this->plugin_file, array( $this, 'deactivate' ) );

		add_action( 'before_woocommerce_init', array( $this, 'declare_hpos_compatibility' ) );
		add_action( 'woocommerce_webhook_disabled_due_delivery_failures', array( $this->webhooks, 'on_disabled_due_delivery_failures' ) );
		add_action( 'rest_api_init', array( $this->rest_orders, 'register_routes' ) );
		add_action( 'admin_menu', array( $this->admin_page, 'register_menu' ) );
		add_action( 'admin_enqueue_scripts', array( $this->admin_page, 'enqueue' ) );
		add_action( 'admin_notices', array( $this->notices, 'render' ) );
		add_action( 'admin_post_' . Admin_Page::ACTION_SAVE, array( $this->admin_page, 'handle_save' ) );
		add_action( 'admin_post_' . Admin_Page::ACTION_CONNECT, array( $this->admin_page, 'handle_connect' ) );
		add_action( 'admin_post_' . Connect::ACTION_START, array( $this->connect, 'handle_start' ) );
		add_action( 'admin_post_' . Connect::ACTION_RETURN, array( $this->connect, 'handle_return' ) );
		add_filter( 'allowed_redirect_hosts', array( $this->settings, 'allow_core_redirect' ) );
		add_filter( 'http_request_host_is_external', array( $this->settings, 'allow_core_host' ), 10, 2 );
		add_filter( 'http_allowed_safe_ports', array( $this->settings, 'allow_core_port' ), 10, 2 );
	}

	/**
	 * Must run on before_woocommerce_init: WooCommerce reads the declarations right after it,
	 * and a plugin without one is listed as incompatible with HPOS (the default order storage
	 * since WooCommerce 8.2). We read and write orders only through WooCommerce's CRUD.
	 */
	public function declare_hpos_compatibility(): void {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', $this->plugin_file, true );
		}
	}

	/**
	 * Activation connects right away when the settings are already there (re-activation);
	 * otherwise Webhooks::connect() leaves a notice pointing to the settings page.
	 */
	public function activate(): void {
		$this->webhooks->connect();
	}

	public function deactivate(): void {
		$this->webhooks->pause();
	}
}
