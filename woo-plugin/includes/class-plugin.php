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
	public readonly Rest_Resources $rest_resources;
	public readonly Admin_Page $admin_page;
	public readonly Connect $connect;
	public readonly Order_Card $order_card;
	public readonly Order_Screen $order_screen;
	public readonly Bulk_Jobs $bulk_jobs;
	public readonly Customer_Tracking $customer_tracking;

	public function __construct( private string $plugin_file ) {
		$this->settings    = new Settings();
		$this->notices     = new Notices();
		$this->core        = new Core_Client( $this->settings );
		$this->webhooks    = new Webhooks( $this->settings, $this->core, $this->notices );
		$this->rest_orders = new Rest_Orders( $this->core );
		$this->rest_resources = new Rest_Resources( $this->core, $this->settings );
		$this->admin_page  = new Admin_Page( $plugin_file, $this->settings, $this->webhooks, $this->notices );
		$this->connect     = new Connect( $this->settings, $this->core, $this->webhooks, $this->notices );
		$this->order_card        = new Order_Card( $this->core );
		$this->order_screen      = new Order_Screen( $plugin_file, $this->settings, $this->order_card, $this->notices, $this->core );
		$this->bulk_jobs         = new Bulk_Jobs( $plugin_file, $this->order_card, $this->core, $this->order_screen );
		$this->customer_tracking = new Customer_Tracking();
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
		add_action( 'rest_api_init', array( $this->rest_resources, 'register_routes' ) );
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
		add_action( 'init', array( $this, 'load_textdomain' ) );

		// WooCommerce's order screens, HPOS and legacy (see Order_Screen and Bulk_Jobs).
		add_action( 'add_meta_boxes', array( $this->order_screen, 'add_meta_box' ) );
		add_action( 'admin_init', array( $this->order_screen, 'maybe_handle_action' ), 1 );
		add_action( 'admin_post_' . Order_Screen::ACTION_PDF, array( $this->order_screen, 'handle_pdf' ) );
		add_action( 'admin_enqueue_scripts', array( $this->order_screen, 'enqueue' ) );
		add_filter( 'manage_' . Order_Screen::HPOS_SCREEN . '_columns', array( $this->order_screen, 'add_column' ) );
		add_action( 'manage_' . Order_Screen::HPOS_SCREEN . '_custom_column', array( $this->order_screen, 'render_column' ), 10, 2 );
		add_filter( 'manage_edit-shop_order_columns', array( $this->order_screen, 'add_column' ) );
		add_action( 'manage_shop_order_posts_custom_column', array( $this->order_screen, 'render_column' ), 10, 2 );
		foreach ( array( Order_Screen::HPOS_SCREEN, 'edit-shop_order' ) as $list ) {
			add_filter( 'bulk_actions-' . $list, array( $this->bulk_jobs, 'add_actions' ) );
			add_filter( 'handle_bulk_actions-' . $list, array( $this->bulk_jobs, 'handle' ), 10, 3 );
		}
		add_action( 'admin_notices', array( $this->bulk_jobs, 'render_notice' ) );
		add_action( 'rest_api_init', array( $this->bulk_jobs, 'register_routes' ) );

		// The customer: My Account's order view and WooCommerce's e-mails.
		add_action( 'woocommerce_view_order', array( $this->customer_tracking, 'render_view_order' ), 20 );
		add_action( 'woocommerce_email_before_order_table', array( $this->customer_tracking, 'render_email' ), 10, 4 );
	}

	/**
	 * Romanian (and any other) translations from languages/expedio-<locale>.mo.
	 */
	public function load_textdomain(): void {
		load_plugin_textdomain( 'expedio', false, dirname( plugin_basename( $this->plugin_file ) ) . '/languages' );
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
