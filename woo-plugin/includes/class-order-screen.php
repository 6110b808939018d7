<?php
/**
 * Expedio on WooCommerce's own order screens: the meta box on the order edit screen, the status
 * column on the orders list, and the form posts behind the box's buttons and PDF links. Both
 * order storages: HPOS (admin.php?page=wc-orders, screen woocommerce_page_wc-orders, callbacks
 * get a WC_Order) and the legacy post screens (screen shop_order / edit-shop_order, callbacks get
 * a WP_Post or a post id).
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * Meta box, list column and their admin-post handlers.
 */
final class Order_Screen {

	public const HPOS_SCREEN   = 'woocommerce_page_wc-orders';
	public const LEGACY_SCREEN = 'shop_order';
	public const ACTION_RUN    = 'expedio_order_action';
	/**
	 * The box's buttons submit the edit screen's own form to admin-post.php?expedio_command=1. That
	 * form carries its own `action` field (editpost, edit_order), which would win over ours in
	 * $_REQUEST, so the command is recognised on admin_init, which admin-post.php fires first.
	 */
	public const COMMAND_ARG = 'expedio_command';
	public const ACTION_PDF    = 'expedio_pdf';
	/** The box's own nonce field: the edit screen's form already has a `_wpnonce`. */
	public const NONCE_FIELD = 'expedio_nonce';
	/** How long the list column keeps the statuses it read (one core call per list page). */
	private const STATUS_TTL = 60;

	public function __construct(
		private string $plugin_file,
		private Settings $settings,
		private Order_Card $card,
		private Notices $notices,
		private Core_Client $core
	) {
	}

	/**
	 * Expedio statuses in the merchant's words (the same names as the core's UI).
	 */
	public static function status_label( string $status ): string {
		$labels = array(
			'draft'      => __( 'Draft', 'expedio' ),
			'new'        => __( 'New', 'expedio' ),
			'processing' => __( 'Processing', 'expedio' ),
			'confirmed'  => __( 'Confirmed', 'expedio' ),
			'picking'    => __( 'Picking', 'expedio' ),
			'picked'     => __( 'Picked', 'expedio' ),
			'packed'     => __( 'Packed', 'expedio' ),
			'ready'      => __( 'Ready to ship', 'expedio' ),
			'shipping'   => __( 'Shipping', 'expedio' ),
			'delivered'  => __( 'Delivered', 'expedio' ),
			'cancelled'  => __( 'Cancelled', 'expedio' ),
			'on_hold'    => __( 'On hold', 'expedio' ),
		);
		return $labels[ $status ] ?? $status;
	}

	/**
	 * @return array<string, string> Command => button label.
	 */
	public static function action_labels(): array {
		return array(
			'confirm' => __( 'Confirm', 'expedio' ),
			'partial' => __( 'Confirm what is in stock', 'expedio' ),
			'hold'    => __( 'Hold', 'expedio' ),
			'cancel'  => __( 'Cancel in Expedio', 'expedio' ),
			'awb'     => __( 'Create AWB (best quote)', 'expedio' ),
			'invoice' => __( 'Issue invoice', 'expedio' ),
		);
	}

	/**
	 * add_meta_boxes: WooCommerce fires it with the screen id and the order (HPOS) or the post.
	 *
	 * @param string $screen_id The screen.
	 */
	public function add_meta_box( $screen_id ): void {
		if ( ! in_array( $screen_id, array( self::HPOS_SCREEN, self::LEGACY_SCREEN ), true ) || ! Access::allowed() ) {
			return;
		}
		add_meta_box( 'expedio-order', __( 'Expedio', 'expedio' ), array( $this, 'render_meta_box' ), $screen_id, 'side', 'high' );
	}

	/**
	 * The box: the card rendered here, its buttons posting to admin-post.php. The admin app's
	 * React order box (build/order-box.js) replaces it only where a site opts in with the
	 * `expedio_order_box_app` filter: it is not yet driven in wp-admin by the Chromium test.
	 *
	 * @param \WC_Order|\WP_Post $post_or_order What WooCommerce passed.
	 */
	/** Whether the React order box is built and the site chose it over the server-rendered card. */
	private function order_box_app(): bool {
		return (bool) apply_filters( 'expedio_order_box_app', false ) && file_exists( plugin_dir_path( $this->plugin_file ) . 'build/order-box.asset.php' );
	}

	public function render_meta_box( $post_or_order ): void {
		$order = $post_or_order instanceof \WC_Order ? $post_or_order : wc_get_order( $post_or_order instanceof \WP_Post ? $post_or_order->ID : (int) $post_or_order );
		if ( ! $order ) {
			return;
		}
		$wc_id = (int) $order->get_id();
		if ( $this->order_box_app() ) {
			echo '<div id="expedio-order-box" data-expedio-mount="order-box" data-woo-order-id="' . esc_attr( (string) $wc_id ) . '" data-order-number="' . esc_attr( (string) $order->get_order_number() ) . '"></div>';
			return;
		}
		if ( ! $this->settings->is_configured() ) {
			echo '<p>' . esc_html__( 'Expedio is not connected yet.', 'expedio' ) . ' <a href="' . esc_url( Admin_Page::url() ) . '">' . esc_html__( 'Open Expedio settings', 'expedio' ) . '</a></p>';
			return;
		}
		$card = $this->card->load( $wc_id );
		echo '<div class="expedio-card" data-woo-order-id="' . esc_attr( (string) $wc_id ) . '">';
		if ( is_wp_error( $card ) ) {
			echo '<p class="expedio-error">' . esc_html( $card->get_error_message() ) . '</p></div>';
			return;
		}
		if ( null === $card ) {
			echo '<p>' . esc_html__( 'This order is not in Expedio yet; it arrives with the next webhook or sync.', 'expedio' ) . '</p></div>';
			return;
		}
		$this->render_card( $wc_id, $card );
		echo '</div>';
	}

	/**
	 * @param array<string, mixed> $card Order_Card::load().
	 */
	private function render_card( int $wc_id, array $card ): void {
		$o      = $card['order'];
		$status = (string) $o['status'];
		echo '<p><strong>' . esc_html__( 'Status', 'expedio' ) . ':</strong> <span class="expedio-status expedio-status-' . esc_attr( $status ) . '">' . esc_html( self::status_label( $status ) ) . '</span></p>';
		// Before confirming nothing is reserved yet, so nothing is missing either: say how much will be.
		$before = in_array( $status, array( 'draft', 'new', 'processing' ), true );
		echo '<p class="expedio-qty">' . esc_html(
			$before
				/* translators: %s: quantity */
				? sprintf( __( 'To reserve on confirming: %s', 'expedio' ), number_format_i18n( (float) $card['missing'] ) )
				: sprintf(
					/* translators: 1: reserved quantity, 2: missing quantity */
					__( 'Reserved: %1$s · Missing: %2$s', 'expedio' ),
					number_format_i18n( (float) $card['reserved'] ),
					number_format_i18n( (float) $card['missing'] )
				)
		) . '</p>';
		if ( ! empty( $o['holdReason'] ) ) {
			echo '<p class="expedio-stall"><strong>' . esc_html__( 'Stalled', 'expedio' ) . ':</strong> ' . esc_html( (string) $o['holdReason'] ) . '</p>';
		}
		foreach ( $card['shipments'] as $shipment ) {
			if ( empty( $shipment['awb'] ) ) {
				continue;
			}
			echo '<p class="expedio-awb"><strong>AWB</strong> ' . esc_html( (string) $shipment['awb'] ) . ' (' . esc_html( (string) $shipment['courier'] ) . ', ' . esc_html( (string) $shipment['status'] ) . ')';
			if ( ! empty( $shipment['trackingUrl'] ) ) {
				echo ' <a href="' . esc_url( (string) $shipment['trackingUrl'] ) . '" target="_blank" rel="noopener noreferrer">' . esc_html__( 'Tracking', 'expedio' ) . '</a>';
			}
			echo ' · <a href="' . esc_url( self::pdf_url( 'label', (string) $shipment['id'] ) ) . '" target="_blank">' . esc_html__( 'Print label', 'expedio' ) . '</a></p>';
		}
		if ( is_array( $card['invoice'] ) ) {
			echo '<p class="expedio-invoice"><strong>' . esc_html__( 'Invoice', 'expedio' ) . '</strong> ' . esc_html( $card['invoice']['number'] ) . ' · <a href="' . esc_url( self::pdf_url( 'invoice', $card['invoice']['id'] ) ) . '" target="_blank">PDF</a> · ' . esc_html(
				sprintf(
					/* translators: %s: e-Factura state */
					__( 'e-Factura: %s', 'expedio' ),
					$card['invoice']['eInvoice']
				)
			) . '</p>';
		}
		$returnable = is_array( $card['returnable'] ?? null ) ? array_filter( $card['returnable']['lines'], static fn( $l ) => (int) $l['returnable'] > 0 ) : array();
		if ( array() === $card['actions'] && array() === $returnable ) {
			return;
		}
		// Buttons of the edit screen's own form, sent to admin-post.php instead (formaction): a
		// meta box cannot hold a form of its own.
		wp_nonce_field( self::ACTION_RUN . '_' . $wc_id, self::NONCE_FIELD, false );
		echo '<input type="hidden" name="expedio_order" value="' . esc_attr( (string) $wc_id ) . '" />';
		$labels = self::action_labels();
		$post   = admin_url( 'admin-post.php?' . self::COMMAND_ARG . '=1' );
		if ( array() !== $card['actions'] ) {
			echo '<p class="expedio-actions">';
			foreach ( $card['actions'] as $action ) {
				echo '<button type="submit" class="button' . ( 'confirm' === $action ? ' button-primary' : '' ) . '" name="expedio_action" value="' . esc_attr( $action ) . '" formaction="' . esc_url( $post ) . '" formmethod="post" formnovalidate>' . esc_html( $labels[ $action ] ) . '</button> ';
			}
			echo '</p>';
		}
		if ( array() !== $returnable ) {
			echo '<fieldset class="expedio-return"><p><strong>' . esc_html__( 'Start a return', 'expedio' ) . '</strong></p>';
			foreach ( $returnable as $line ) {
				$no = (int) $line['orderLineNo'];
				echo '<p><label>' . esc_html( (string) $line['name'] ) . ' <input type="number" class="small-text" min="0" max="' . esc_attr( (string) (int) $line['returnable'] ) . '" name="expedio_return_qty[' . esc_attr( (string) $no ) . ']" value="0" /> / ' . esc_html( (string) (int) $line['returnable'] ) . '</label></p>';
			}
			echo '<p><label>' . esc_html__( 'Reason', 'expedio' ) . ' <input type="text" class="widefat" name="expedio_return_reason" maxlength="200" /></label></p>';
			echo '<p><button type="submit" class="button" name="expedio_action" value="return" formaction="' . esc_url( $post ) . '" formmethod="post" formnovalidate>' . esc_html__( 'Start the return', 'expedio' ) . '</button></p></fieldset>';
		}
	}

	/**
	 * admin_init: a command of the box (see COMMAND_ARG).
	 */
	public function maybe_handle_action(): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- handle_action() checks it.
		if ( 'admin-post.php' === ( $GLOBALS['pagenow'] ?? '' ) && isset( $_GET[ self::COMMAND_ARG ] ) && 'POST' === ( $_SERVER['REQUEST_METHOD'] ?? '' ) ) {
			$this->handle_action();
		}
	}

	/**
	 * One command of the box, then back to the order's edit screen.
	 */
	public function handle_action(): void {
		Access::require_manager();
		$wc_id = isset( $_POST['expedio_order'] ) ? absint( $_POST['expedio_order'] ) : 0;
		check_admin_referer( self::ACTION_RUN . '_' . $wc_id, self::NONCE_FIELD );
		$action = isset( $_POST['expedio_action'] ) ? sanitize_key( wp_unslash( $_POST['expedio_action'] ) ) : '';
		if ( 'return' === $action ) {
			$quantities = isset( $_POST['expedio_return_qty'] ) && is_array( $_POST['expedio_return_qty'] ) ? array_map( 'absint', wp_unslash( $_POST['expedio_return_qty'] ) ) : array();
			$result     = $this->card->start_return( $wc_id, $quantities, isset( $_POST['expedio_return_reason'] ) ? (string) wp_unslash( $_POST['expedio_return_reason'] ) : '' );
		} else {
			$result = $this->card->run( $action, $wc_id, array( 'reason' => isset( $_POST['expedio_reason'] ) ? (string) wp_unslash( $_POST['expedio_reason'] ) : '' ) );
		}
		if ( is_wp_error( $result ) ) {
			$this->notices->add( Notice_Key::ORDER_ACTION, 'error', $result->get_error_message(), false, true );
		} else {
			$this->notices->add( Notice_Key::ORDER_ACTION, 'success', (string) $result['message'], false, true );
			delete_transient( self::statuses_transient() );
		}
		$order = wc_get_order( $wc_id );
		wp_safe_redirect( $order ? $order->get_edit_order_url() : admin_url() );
		exit;
	}

	/**
	 * A link that streams a PDF of the core through WordPress (the key stays on the server).
	 *
	 * @param string $kind label | invoice | batch.
	 */
	public static function pdf_url( string $kind, string $id ): string {
		// A plain URL (wp_nonce_url() would HTML-escape it): it also travels in JSON to the bulk script.
		return add_query_arg(
			array(
				'action'   => self::ACTION_PDF,
				'kind'     => rawurlencode( $kind ),
				'id'       => rawurlencode( $id ),
				'_wpnonce' => wp_create_nonce( self::ACTION_PDF . '_' . $kind . '_' . $id ),
			),
			admin_url( 'admin-post.php' )
		);
	}

	/**
	 * admin-post.php?action=expedio_pdf: a label, a label batch or an invoice, as the core made it.
	 */
	public function handle_pdf(): void {
		Access::require_manager();
		$kind = isset( $_GET['kind'] ) ? sanitize_key( wp_unslash( $_GET['kind'] ) ) : '';
		$id   = isset( $_GET['id'] ) ? sanitize_text_field( wp_unslash( $_GET['id'] ) ) : '';
		check_admin_referer( self::ACTION_PDF . '_' . $kind . '_' . $id );
		$paths = array(
			'label'   => '/api/v1/shipments/' . rawurlencode( $id ) . '/label',
			'batch'   => '/api/v1/label-batches/' . rawurlencode( $id ) . '/pdf',
			'invoice' => '/api/v1/invoices/' . rawurlencode( $id ) . '/pdf',
		);
		if ( ! isset( $paths[ $kind ] ) || '' === $id ) {
			wp_die( esc_html__( 'Unknown document.', 'expedio' ), '', array( 'response' => 400 ) );
		}
		$pdf = $this->core->pdf( $paths[ $kind ] );
		if ( is_wp_error( $pdf ) ) {
			wp_die( esc_html( $pdf->get_error_message() ), '', array( 'response' => 502 ) );
		}
		nocache_headers();
		header( 'Content-Type: application/pdf' );
		header( 'Content-Disposition: inline; filename="expedio-' . $kind . '-' . preg_replace( '/[^A-Za-z0-9_-]/', '', $id ) . '.pdf"' );
		echo $pdf; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- PDF bytes.
		exit;
	}

	/**
	 * manage_{screen}_columns: the Expedio column after WooCommerce's status column.
	 *
	 * @param array<string, string> $columns The list's columns.
	 * @return array<string, string>
	 */
	public function add_column( $columns ): array {
		$columns = is_array( $columns ) ? $columns : array();
		$out     = array();
		foreach ( $columns as $key => $label ) {
			$out[ $key ] = $label;
			if ( 'order_status' === $key ) {
				$out['expedio_status'] = __( 'Expedio', 'expedio' );
			}
		}
		if ( ! isset( $out['expedio_status'] ) ) {
			$out['expedio_status'] = __( 'Expedio', 'expedio' );
		}
		return $out;
	}

	/**
	 * manage_woocommerce_page_wc-orders_custom_column ($column, WC_Order) and
	 * manage_shop_order_posts_custom_column ($column, post id).
	 *
	 * @param string        $column        The column.
	 * @param \WC_Order|int $order_or_id   What the list passed.
	 */
	public function render_column( $column, $order_or_id ): void {
		if ( 'expedio_status' !== $column ) {
			return;
		}
		$wc_id    = $order_or_id instanceof \WC_Order ? (int) $order_or_id->get_id() : (int) $order_or_id;
		$statuses = $this->statuses();
		if ( ! isset( $statuses[ $wc_id ] ) ) {
			echo '<span class="expedio-status expedio-status-none">–</span>';
			return;
		}
		$status = $statuses[ $wc_id ];
		echo '<mark class="order-status expedio-status expedio-status-' . esc_attr( $status ) . '"><span>' . esc_html( self::status_label( $status ) ) . '</span></mark>';
	}

	/**
	 * WooCommerce order id => Expedio status for the channel's newest orders: one core call per list
	 * page (kept a minute), instead of one per row.
	 *
	 * @return array<int, string>
	 */
	public function statuses(): array {
		$cached = get_transient( self::statuses_transient() );
		if ( is_array( $cached ) ) {
			return $cached;
		}
		$statuses = array();
		if ( $this->settings->is_configured() ) {
			$page = $this->core->call( 'GET', '/api/v1/orders', array( 'limit' => 200 ) );
			foreach ( is_array( $page ) && is_array( $page['orders'] ?? null ) ? $page['orders'] : array() as $order ) {
				if ( isset( $order['externalOrderId'], $order['status'] ) && ctype_digit( (string) $order['externalOrderId'] ) ) {
					$statuses[ (int) $order['externalOrderId'] ] = (string) $order['status'];
				}
			}
		}
		set_transient( self::statuses_transient(), $statuses, self::STATUS_TTL );
		return $statuses;
	}

	public static function statuses_transient(): string {
		return 'expedio_list_statuses';
	}

	/**
	 * The box's small stylesheet, on the order screens only.
	 *
	 * @param string $hook_suffix The admin page.
	 */
	public function enqueue( $hook_suffix ): void {
		$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
		$id     = $screen ? $screen->id : '';
		if ( ! in_array( $id, array( self::HPOS_SCREEN, self::LEGACY_SCREEN, 'edit-shop_order' ), true ) ) {
			return;
		}
		wp_register_style( 'expedio-orders', false, array(), EXPEDIO_VERSION );
		wp_enqueue_style( 'expedio-orders' );
		wp_add_inline_style(
			'expedio-orders',
			'.expedio-status{display:inline-block;padding:2px 8px;border-radius:3px;background:#e5e5e5;color:#454545}'
			. '.expedio-status-confirmed,.expedio-status-ready,.expedio-status-packed{background:#c6e1c6;color:#2c4700}'
			. '.expedio-status-shipping,.expedio-status-delivered{background:#c8d7e1;color:#2e4453}'
			. '.expedio-status-on_hold{background:#f8dda7;color:#94660c}.expedio-status-cancelled{background:#eba3a3;color:#761919}'
			. '.expedio-actions .button{margin:0 4px 4px 0}.expedio-error{color:#b32d2e}'
			. '.expedio-progress progress{width:100%;max-width:420px;height:16px}'
		);
		$asset = plugin_dir_path( $this->plugin_file ) . 'build/order-box.asset.php';
		if ( $this->order_box_app() && in_array( $id, array( self::HPOS_SCREEN, self::LEGACY_SCREEN ), true ) ) {
			$deps = require $asset;
			wp_enqueue_script( 'expedio-order-box', plugins_url( 'build/order-box.js', $this->plugin_file ), isset( $deps['dependencies'] ) ? (array) $deps['dependencies'] : array(), isset( $deps['version'] ) ? (string) $deps['version'] : EXPEDIO_VERSION, true );
			wp_add_inline_script(
				'expedio-order-box',
				'window.expedioAdmin = ' . wp_json_encode(
					array(
						'restRoot'   => esc_url_raw( rest_url() ),
						'nonce'      => wp_create_nonce( 'wp_rest' ),
						'configured' => $this->settings->is_configured(),
						'appUrl'     => Admin_Page::url(),
						'locale'     => get_user_locale(),
					)
				) . ';',
				'before'
			);
			wp_enqueue_style( 'wp-components' );
			wp_set_script_translations( 'expedio-order-box', 'expedio', plugin_dir_path( $this->plugin_file ) . 'languages' );
		}
	}
}
