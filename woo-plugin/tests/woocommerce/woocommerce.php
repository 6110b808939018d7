<?php
/**
 * Plugin Name: WooCommerce (Expedio test stand-in)
 * Description: Only the WooCommerce functions, classes and hooks the Expedio plugin calls, with the signatures of WooCommerce 10.x/11 (checked against WooCommerce 10.3). Never shipped; linked into the tests' real WordPress as wp-content/plugins/woocommerce/.
 * Version: 10.3.0
 *
 * What is real here is WordPress: options, users and roles, posts, comments, nonces, the REST
 * server, the admin screens. What is stood in for is WooCommerce, and only at:
 *   - Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility()
 *   - Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled(),
 *     get_order_admin_screen(), get_order_admin_edit_url()
 *   - WC_Webhook (the CRUD setters/getters, save(), delete()) and wc_get_webhook(), stored in
 *     WooCommerce's own wc_webhooks table
 *   - wc_rand_hash(), wc_api_hash() and the woocommerce_api_keys table (WC_Install's schema)
 *   - wc_get_order(), wc_get_orders(), WC_Order (get_id, get_status, set_status, update_status,
 *     get_meta, update_meta_data, delete_meta_data, save, add_order_note, get_customer_id,
 *     get_order_number, get_billing_email, get_view_order_url, get_edit_order_url,
 *     get_customer_order_notes) stored the legacy way (shop_order posts, post meta, order_note
 *     comments), which is what WordPress's own screens list and edit
 *   - wc_get_page_screen_id( 'shop-order' ), the `woocommerce` admin menu, the shop_manager role
 *   - the HPOS orders page's hooks, fired the way WooCommerce's ListTable and edit screen fire
 *     them (woocommerce_page_wc-orders), and the My Account view-order page firing
 *     woocommerce_view_order
 *
 * @package Expedio
 */

namespace Automattic\WooCommerce\Utilities {

	/**
	 * WooCommerce's feature compatibility registry (src/Utilities/FeaturesUtil.php).
	 */
	class FeaturesUtil {
		/** @var array<int, array{feature: string, file: string, positive: bool}> */
		public static array $declarations = array();

		public static function declare_compatibility( string $feature_id, string $plugin_file, bool $positive_compatibility = true ): bool {
			self::$declarations[] = array(
				'feature'  => $feature_id,
				'file'     => $plugin_file,
				'positive' => $positive_compatibility,
			);
			return true;
		}
	}

	/**
	 * src/Utilities/OrderUtil.php: whether orders live in the HPOS tables, and where they are edited.
	 */
	final class OrderUtil {
		public static function custom_orders_table_usage_is_enabled(): bool {
			return 'yes' === get_option( 'woocommerce_custom_orders_table_enabled', 'yes' );
		}

		public static function get_order_admin_screen(): string {
			return self::custom_orders_table_usage_is_enabled() ? 'woocommerce_page_wc-orders' : 'shop_order';
		}

		public static function get_order_admin_edit_url( int $order_id ): string {
			return self::custom_orders_table_usage_is_enabled()
				? admin_url( 'admin.php?page=wc-orders&action=edit&id=' . $order_id )
				: admin_url( 'post.php?post=' . $order_id ) . '&action=edit';
		}
	}
}

namespace {

	defined( 'ABSPATH' ) || exit;

	define( 'WC_VERSION', '10.3.0' );

	/**
	 * Stored in {prefix}wc_webhooks with WC_Install's columns; api_version as the number WooCommerce keeps.
	 */
	class WC_Webhook {
		/** @var array<string, mixed> */
		private array $data = array(
			'id'           => 0,
			'status'       => 'disabled',
			'name'         => '',
			'user_id'      => 0,
			'delivery_url' => '',
			'secret'       => '',
			'topic'        => '',
			'api_version'  => 3,
		);

		/**
		 * @param int|WC_Webhook $data Webhook id (WooCommerce throws "Invalid webhook." for an unknown one).
		 */
		public function __construct( $data = 0 ) {
			global $wpdb;
			$id = $data instanceof self ? $data->get_id() : (int) $data;
			if ( $id > 0 ) {
				$row = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$wpdb->prefix}wc_webhooks WHERE webhook_id = %d", $id ), ARRAY_A );
				if ( null === $row ) {
					throw new Exception( 'Invalid webhook.' );
				}
				$this->data = array(
					'id'           => (int) $row['webhook_id'],
					'status'       => $row['status'],
					'name'         => $row['name'],
					'user_id'      => (int) $row['user_id'],
					'delivery_url' => $row['delivery_url'],
					'secret'       => $row['secret'],
					'topic'        => $row['topic'],
					'api_version'  => (int) $row['api_version'],
				);
			}
		}

		public function get_id() {
			return $this->data['id'];
		}
		public function get_status( $context = 'view' ) {
			return $this->data['status'];
		}
		public function get_name( $context = 'view' ) {
			return $this->data['name'];
		}
		public function get_user_id( $context = 'view' ) {
			return $this->data['user_id'];
		}
		public function get_delivery_url( $context = 'view' ) {
			return $this->data['delivery_url'];
		}
		public function get_secret( $context = 'view' ) {
			return $this->data['secret'];
		}
		public function get_topic( $context = 'view' ) {
			return $this->data['topic'];
		}
		public function get_api_version( $context = 'view' ) {
			return 'wp_api_v' . $this->data['api_version'];
		}
		public function set_status( $status ) {
			$this->data['status'] = in_array( $status, array( 'active', 'paused', 'disabled' ), true ) ? $status : 'disabled';
		}
		public function set_name( $name ) {
			$this->data['name'] = (string) $name;
		}
		public function set_user_id( $user_id ) {
			$this->data['user_id'] = (int) $user_id;
		}
		public function set_delivery_url( $url ) {
			$this->data['delivery_url'] = esc_url_raw( $url, array( 'http', 'https' ) );
		}
		public function set_secret( $secret ) {
			$this->data['secret'] = (string) $secret;
		}
		public function set_topic( $topic ) {
			$this->data['topic'] = (string) $topic;
		}
		public function set_api_version( $version ) {
			$this->data['api_version'] = (int) preg_replace( '/^wp_api_v/', '', (string) $version );
		}

		public function save() {
			global $wpdb;
			$row = array(
				'status'            => $this->data['status'],
				'name'              => $this->data['name'],
				'user_id'           => $this->data['user_id'],
				'delivery_url'      => $this->data['delivery_url'],
				'secret'            => $this->data['secret'],
				'topic'             => $this->data['topic'],
				'api_version'       => $this->data['api_version'],
				'date_modified'     => current_time( 'mysql' ),
				'date_modified_gmt' => current_time( 'mysql', true ),
			);
			if ( $this->data['id'] > 0 ) {
				$wpdb->update( $wpdb->prefix . 'wc_webhooks', $row, array( 'webhook_id' => $this->data['id'] ) );
			} else {
				$row['date_created']     = current_time( 'mysql' );
				$row['date_created_gmt'] = current_time( 'mysql', true );
				$wpdb->insert( $wpdb->prefix . 'wc_webhooks', $row );
				$this->data['id'] = (int) $wpdb->insert_id;
			}
			return $this->data['id'];
		}

		public function delete( $force_delete = false ) {
			global $wpdb;
			$wpdb->delete( $wpdb->prefix . 'wc_webhooks', array( 'webhook_id' => $this->data['id'] ) );
			$this->data['id'] = 0;
			return true;
		}
	}

	/**
	 * @param int $id Webhook id.
	 * @return WC_Webhook|null
	 */
	function wc_get_webhook( $id ) {
		$webhook = new WC_Webhook( $id );
		return 0 !== $webhook->get_id() ? $webhook : null;
	}

	function wc_rand_hash() {
		return bin2hex( random_bytes( 20 ) );
	}

	function wc_api_hash( $data ) {
		return hash_hmac( 'sha256', $data, 'wc-api' );
	}

	/**
	 * A WooCommerce order kept as a shop_order post (WooCommerce's legacy storage).
	 */
	class WC_Order {
		private int $id;
		private string $status;
		/** @var array<string, mixed> */
		private array $meta_changes = array();
		/** @var string[] */
		private array $meta_deletes = array();
		private ?string $status_change = null;

		public function __construct( $order = 0 ) {
			$post = get_post( is_object( $order ) ? $order->ID : (int) $order );
			if ( ! $post || 'shop_order' !== $post->post_type ) {
				throw new Exception( 'Invalid order.' );
			}
			$this->id     = (int) $post->ID;
			$this->status = (string) preg_replace( '/^wc-/', '', $post->post_status );
		}

		public function get_id() {
			return $this->id;
		}
		public function get_order_number() {
			return (string) $this->id;
		}
		public function get_status( $context = 'view' ) {
			return $this->status;
		}
		public function set_status( $new_status, $note = '', $manual_update = false ) {
			$old                 = $this->status;
			$this->status        = (string) preg_replace( '/^wc-/', '', (string) $new_status );
			$this->status_change = $note;
			return array(
				'from' => $old,
				'to'   => $this->status,
			);
		}
		public function update_status( $new_status, $note = '', $manual = false ) {
			$this->set_status( $new_status, $note, $manual );
			$this->save();
			return true;
		}
		public function get_meta( $key = '', $single = true, $context = 'view' ) {
			if ( array_key_exists( $key, $this->meta_changes ) ) {
				return $single ? $this->meta_changes[ $key ] : array( $this->meta_changes[ $key ] );
			}
			if ( in_array( $key, $this->meta_deletes, true ) ) {
				return $single ? '' : array();
			}
			$value = get_post_meta( $this->id, $key, $single );
			return $value;
		}
		public function update_meta_data( $key, $value, $meta_id = 0 ) {
			$this->meta_changes[ $key ] = $value;
		}
		public function delete_meta_data( $key ) {
			unset( $this->meta_changes[ $key ] );
			$this->meta_deletes[] = $key;
		}
		public function get_customer_id( $context = 'view' ) {
			return (int) get_post_meta( $this->id, '_customer_user', true );
		}
		public function get_billing_email( $context = 'view' ) {
			return (string) get_post_meta( $this->id, '_billing_email', true );
		}
		public function get_date_created( $context = 'view' ) {
			return get_post_datetime( $this->id );
		}
		public function get_view_order_url() {
			return wc_get_endpoint_url( 'view-order', (string) $this->id, wc_get_page_permalink( 'myaccount' ) );
		}
		public function get_edit_order_url() {
			return \Automattic\WooCommerce\Utilities\OrderUtil::get_order_admin_edit_url( $this->id );
		}

		public function save() {
			foreach ( $this->meta_deletes as $key ) {
				delete_post_meta( $this->id, $key );
			}
			foreach ( $this->meta_changes as $key => $value ) {
				update_post_meta( $this->id, $key, $value );
			}
			$this->meta_changes = array();
			$this->meta_deletes = array();
			$post               = get_post( $this->id );
			if ( 'wc-' . $this->status !== $post->post_status ) {
				$from = (string) preg_replace( '/^wc-/', '', $post->post_status );
				wp_update_post(
					array(
						'ID'          => $this->id,
						'post_status' => 'wc-' . $this->status,
					)
				);
				if ( null !== $this->status_change && '' !== $this->status_change ) {
					$this->add_order_note( $this->status_change );
				}
				do_action( 'woocommerce_order_status_changed', $this->id, $from, $this->status, $this );
			}
			$this->status_change = null;
			return $this->id;
		}

		/**
		 * An order_note comment, as WooCommerce stores it; is_customer_note as comment meta.
		 */
		public function add_order_note( $note, $is_customer_note = 0, $added_by_user = false ) {
			$comment_id = wp_insert_comment(
				array(
					'comment_post_ID'  => $this->id,
					'comment_author'   => 'WooCommerce',
					'comment_content'  => $note,
					'comment_agent'    => 'WooCommerce',
					'comment_type'     => 'order_note',
					'comment_approved' => 1,
				)
			);
			if ( $is_customer_note ) {
				add_comment_meta( $comment_id, 'is_customer_note', 1 );
			}
			return $comment_id;
		}

		/**
		 * @return WP_Comment[]
		 */
		public function get_customer_order_notes() {
			return get_comments(
				array(
					'post_id'    => $this->id,
					'type'       => 'order_note',
					'meta_key'   => 'is_customer_note',
					'meta_value' => 1,
					'orderby'    => 'comment_ID',
					'order'      => 'ASC',
				)
			);
		}
	}

	/**
	 * @param mixed $the_order Order id, post or order.
	 * @return WC_Order|false
	 */
	function wc_get_order( $the_order = false ) {
		if ( $the_order instanceof WC_Order ) {
			return $the_order;
		}
		try {
			return new WC_Order( $the_order );
		} catch ( Exception $e ) {
			return false;
		}
	}

	/**
	 * The subset of wc_get_orders() the tests and the plugin use: customer, limit, return ids.
	 *
	 * @param array<string, mixed> $args Query arguments.
	 * @return array<int, WC_Order|int>
	 */
	function wc_get_orders( $args ) {
		$query = array(
			'post_type'      => 'shop_order',
			'post_status'    => 'any',
			'posts_per_page' => isset( $args['limit'] ) ? (int) $args['limit'] : 10,
			'fields'         => 'ids',
		);
		if ( isset( $args['customer_id'] ) ) {
			$query['meta_key']   = '_customer_user';
			$query['meta_value'] = (int) $args['customer_id'];
		}
		$ids = get_posts( $query );
		return isset( $args['return'] ) && 'ids' === $args['return'] ? $ids : array_map( 'wc_get_order', $ids );
	}

	/**
	 * For test set-up: a new order in a WooCommerce status.
	 */
	function expedio_test_create_order( string $status = 'processing', int $customer_id = 0, string $email = 'ana@example.ro', int $id = 0 ): WC_Order {
		$id = wp_insert_post(
			array(
				'import_id'   => $id,
				'post_type'   => 'shop_order',
				'post_status' => 'wc-' . $status,
				'post_title'  => 'Order',
				'meta_input'  => array(
					'_customer_user' => $customer_id,
					'_billing_email' => $email,
				),
			)
		);
		return new WC_Order( $id );
	}

	function wc_get_page_screen_id( $for ) {
		return 'shop-order' === $for ? \Automattic\WooCommerce\Utilities\OrderUtil::get_order_admin_screen() : 'woocommerce_page_wc-' . $for;
	}

	function wc_get_page_permalink( $page ) {
		$id = (int) get_option( 'woocommerce_' . $page . '_page_id' );
		return $id > 0 ? (string) get_permalink( $id ) : home_url( '/' );
	}

	function wc_get_endpoint_url( $endpoint, $value = '', $permalink = '' ) {
		return add_query_arg( $endpoint, $value, $permalink ? $permalink : home_url( '/' ) );
	}

	function is_account_page() {
		return is_page( (int) get_option( 'woocommerce_myaccount_page_id' ) );
	}

	/**
	 * Activation, as WC_Install does for what the plugin touches: its tables, the shop_manager
	 * role, manage_woocommerce for administrators, and the My Account page.
	 */
	function expedio_test_wc_install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$collate = $wpdb->get_charset_collate();
		dbDelta(
			"CREATE TABLE {$wpdb->prefix}woocommerce_api_keys (
  key_id BIGINT UNSIGNED NOT NULL auto_increment,
  user_id BIGINT UNSIGNED NOT NULL,
  description varchar(200) NULL,
  permissions varchar(10) NOT NULL,
  consumer_key char(64) NOT NULL,
  consumer_secret char(43) NOT NULL,
  nonces longtext NULL,
  truncated_key char(7) NOT NULL,
  last_access datetime NULL default null,
  PRIMARY KEY  (key_id),
  KEY consumer_key (consumer_key),
  KEY consumer_secret (consumer_secret)
) $collate;
CREATE TABLE {$wpdb->prefix}wc_webhooks (
  webhook_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  status varchar(200) NOT NULL,
  name text NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  delivery_url text NOT NULL,
  secret text NOT NULL,
  topic varchar(200) NOT NULL,
  date_created datetime NOT NULL default '0000-00-00 00:00:00',
  date_created_gmt datetime NOT NULL default '0000-00-00 00:00:00',
  date_modified datetime NOT NULL default '0000-00-00 00:00:00',
  date_modified_gmt datetime NOT NULL default '0000-00-00 00:00:00',
  api_version smallint(4) NOT NULL,
  failure_count smallint(10) NOT NULL default '0',
  pending_delivery tinyint(1) NOT NULL default '0',
  PRIMARY KEY  (webhook_id),
  KEY user_id (user_id)
) $collate;"
		);
		$caps = array(
			'read'                => true,
			'manage_woocommerce'  => true,
			'edit_posts'          => true,
			'edit_others_posts'   => true,
			'edit_published_posts' => true,
			'edit_shop_orders'    => true,
			'edit_others_shop_orders' => true,
			'read_shop_order'     => true,
			'edit_shop_order'     => true,
		);
		add_role( 'shop_manager', 'Shop manager', $caps );
		add_role( 'customer', 'Customer', array( 'read' => true ) );
		$admin = get_role( 'administrator' );
		foreach ( array_keys( $caps ) as $cap ) {
			$admin->add_cap( $cap );
		}
		$page = wp_insert_post(
			array(
				'post_type'    => 'page',
				'post_status'  => 'publish',
				'post_title'   => 'My account',
				'post_name'    => 'my-account',
				'post_content' => '[woocommerce_my_account]',
			)
		);
		update_option( 'woocommerce_myaccount_page_id', $page );
		update_option( 'woocommerce_custom_orders_table_enabled', 'yes' );
	}
	register_activation_hook( __FILE__, 'expedio_test_wc_install' );

	add_action(
		'plugins_loaded',
		static function (): void {
			do_action( 'before_woocommerce_init' );
			do_action( 'woocommerce_loaded' );
		},
		-1000
	);

	add_action(
		'init',
		static function (): void {
			foreach ( array( 'pending' => 'Pending payment', 'processing' => 'Processing', 'on-hold' => 'On hold', 'completed' => 'Completed', 'cancelled' => 'Cancelled', 'refunded' => 'Refunded', 'failed' => 'Failed' ) as $status => $label ) {
				register_post_status(
					'wc-' . $status,
					array(
						'label'                     => $label,
						'public'                    => false,
						'exclude_from_search'       => false,
						'show_in_admin_all_list'    => true,
						'show_in_admin_status_list' => true,
					)
				);
			}
			register_post_type(
				'shop_order',
				array(
					'labels'          => array(
						'name'          => 'Orders',
						'singular_name' => 'Order',
						'edit_item'     => 'Edit order',
					),
					'public'          => false,
					'show_ui'         => true,
					// With HPOS WooCommerce lists orders on its own page; the post screens stay reachable.
					'show_in_menu'    => \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled() ? false : 'woocommerce',
					'capability_type' => 'shop_order',
					'map_meta_cap'    => true,
					'supports'        => array( 'title', 'comments', 'custom-fields' ),
				)
			);
			add_shortcode( 'woocommerce_my_account', 'expedio_test_wc_my_account' );
			add_rewrite_endpoint( 'view-order', EP_ROOT | EP_PAGES );
		}
	);

	add_action(
		'admin_menu',
		static function (): void {
			add_menu_page( 'WooCommerce', 'WooCommerce', 'manage_woocommerce', 'woocommerce', '__return_null', 'dashicons-cart', 55.5 );
			if ( \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled() ) {
				add_submenu_page( 'woocommerce', 'Orders', 'Orders', 'edit_shop_orders', 'wc-orders', 'expedio_test_wc_orders_page' );
			}
		},
		9
	);

	/**
	 * My Account: the view-order endpoint renders the order and fires woocommerce_view_order
	 * (WooCommerce's myaccount/view-order.php template does the same after the order details).
	 */
	function expedio_test_wc_my_account(): string {
		if ( ! is_user_logged_in() ) {
			return '<p>Log in to see your orders.</p>';
		}
		$order_id = absint( get_query_var( 'view-order' ) );
		$order    = $order_id > 0 ? wc_get_order( $order_id ) : false;
		ob_start();
		if ( $order && $order->get_customer_id() === get_current_user_id() ) {
			echo '<p class="order-info">Order #' . esc_html( $order->get_order_number() ) . ' is currently ' . esc_html( $order->get_status() ) . '.</p>';
			$notes = $order->get_customer_order_notes();
			if ( $notes ) {
				echo '<h2>Order updates</h2><ol class="woocommerce-OrderUpdates">';
				foreach ( $notes as $note ) {
					echo '<li class="woocommerce-OrderUpdate">' . wp_kses_post( wpautop( wptexturize( $note->comment_content ) ) ) . '</li>';
				}
				echo '</ol>';
			}
			do_action( 'woocommerce_view_order', $order_id );
		} else {
			foreach ( wc_get_orders( array( 'customer_id' => get_current_user_id() ) ) as $mine ) {
				echo '<p><a href="' . esc_url( $mine->get_view_order_url() ) . '">Order #' . esc_html( $mine->get_order_number() ) . '</a></p>';
			}
		}
		return (string) ob_get_clean();
	}

	/**
	 * admin.php?page=wc-orders: the HPOS orders list (with its bulk actions) and, with
	 * action=edit&id=…, the order edit screen with its meta boxes, firing the hooks WooCommerce's
	 * Internal\Admin\Orders\ListTable and Edit fire, with an order object where WooCommerce passes one.
	 */
	function expedio_test_wc_orders_page(): void {
		$screen = 'woocommerce_page_wc-orders';
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended
		$id = isset( $_GET['id'] ) ? absint( $_GET['id'] ) : 0;
		if ( $id > 0 && isset( $_GET['action'] ) && 'edit' === $_GET['action'] ) {
			$order = wc_get_order( $id );
			if ( ! $order ) {
				wp_die( 'Invalid order.' );
			}
			do_action( 'add_meta_boxes', $screen, $order );
			do_action( 'add_meta_boxes_' . $screen, $order );
			// WooCommerce's edit form posts to itself with its own action field (the box's buttons must cope).
			echo '<div class="wrap"><h1 class="wp-heading-inline">Edit order #' . esc_html( $order->get_order_number() ) . '</h1>';
			echo '<form name="order" action="' . esc_url( admin_url( 'admin.php?page=wc-orders&action=edit&id=' . $id ) ) . '" method="post" id="order"><input type="hidden" name="action" value="edit_order" />';
			wp_nonce_field( 'update-order_' . $id );
			echo '<div id="poststuff"><div id="post-body" class="metabox-holder columns-2"><div id="postbox-container-1" class="postbox-container">';
			do_meta_boxes( $screen, 'side', $order );
			echo '</div><div id="postbox-container-2" class="postbox-container"><p class="order-status">Status: ' . esc_html( $order->get_status() ) . '</p>';
			do_meta_boxes( $screen, 'normal', $order );
			do_meta_boxes( $screen, 'advanced', $order );
			echo '</div></div></div></form></div>';
			return;
		}
		$columns = apply_filters(
			'manage_' . $screen . '_columns',
			array(
				'cb'           => '<input type="checkbox" />',
				'order_number' => 'Order',
				'order_status' => 'Status',
			)
		);
		$bulk    = apply_filters( 'bulk_actions-' . $screen, array( 'mark_processing' => 'Change status to processing' ) );
		echo '<div class="wrap"><h1 class="wp-heading-inline">Orders</h1><form id="wc-orders-filter" method="get" action="' . esc_url( admin_url( 'admin.php' ) ) . '">';
		echo '<input type="hidden" name="page" value="wc-orders" />';
		wp_nonce_field( 'bulk-orders' );
		echo '<div class="tablenav top"><select name="action" id="bulk-action-selector-top"><option value="-1">Bulk actions</option>';
		foreach ( $bulk as $action => $label ) {
			echo '<option value="' . esc_attr( $action ) . '">' . esc_html( $label ) . '</option>';
		}
		echo '</select> <input type="submit" id="doaction" class="button action" value="Apply" /></div>';
		echo '<table class="wp-list-table widefat fixed striped table-view-list orders"><thead><tr>';
		foreach ( $columns as $key => $label ) {
			echo 'cb' === $key ? '<td class="manage-column column-cb check-column">' . $label . '</td>' : '<th class="manage-column column-' . esc_attr( $key ) . '">' . esc_html( $label ) . '</th>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
		}
		echo '</tr></thead><tbody>';
		foreach ( wc_get_orders( array( 'limit' => 50 ) ) as $order ) {
			echo '<tr id="order-' . (int) $order->get_id() . '">';
			foreach ( array_keys( $columns ) as $key ) {
				echo '<td class="column-' . esc_attr( $key ) . '">';
				if ( 'cb' === $key ) {
					// As ListTable::column_cb(): the list's singular name, `order[]` (checked by hand in WooCommerce 7.9).
					echo '<input id="cb-select-' . (int) $order->get_id() . '" type="checkbox" name="order[]" value="' . (int) $order->get_id() . '" />';
				} elseif ( 'order_number' === $key ) {
					echo '<a href="' . esc_url( $order->get_edit_order_url() ) . '">#' . esc_html( $order->get_order_number() ) . '</a>';
				} elseif ( 'order_status' === $key ) {
					echo esc_html( $order->get_status() );
				} else {
					do_action( 'manage_' . $screen . '_custom_column', $key, $order );
				}
				echo '</td>';
			}
			echo '</tr>';
		}
		echo '</tbody></table></form></div>';
	}

	/**
	 * The HPOS list's bulk action handling (ListTable::handle_bulk_actions): check the nonce, let
	 * the plugin's handle_bulk_actions- filter act and redirect where it says.
	 */
	add_action(
		'load-woocommerce_page_wc-orders',
		static function (): void {
			// phpcs:ignore WordPress.Security.NonceVerification.Recommended
			$action = isset( $_GET['action'] ) ? sanitize_key( wp_unslash( $_GET['action'] ) ) : '';
			if ( '' === $action || '-1' === $action || 'edit' === $action ) {
				return;
			}
			check_admin_referer( 'bulk-orders' );
			$ids      = isset( $_REQUEST['order'] ) ? array_map( 'absint', (array) $_REQUEST['order'] ) : array();
			$redirect = admin_url( 'admin.php?page=wc-orders' );
			$redirect = apply_filters( 'handle_bulk_actions-woocommerce_page_wc-orders', $redirect, $action, $ids ); // phpcs:ignore WordPress.NamingConventions.ValidHookName.UseUnderscores
			wp_safe_redirect( $redirect );
			exit;
		}
	);
}
