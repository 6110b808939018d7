<?php
/**
 * The Expedio meta box on WooCommerce's order edit screen (HPOS and legacy), its commands, and
 * the status column on the orders list.
 *
 * @package Expedio
 */

/**
 * Order_Screen in the real WordPress with the WooCommerce stand-in.
 */
final class OrderScreenTest extends Expedio_Test_Case {

	private function box( $post_or_order ): string {
		ob_start();
		$this->plugin->order_screen->render_meta_box( $post_or_order );
		return (string) ob_get_clean();
	}

	/**
	 * Presses a button of the box: the edit screen's form posted to admin-post.php?expedio_command=1.
	 *
	 * @param array<string, string> $fields Extra form fields (the edit form's own included).
	 */
	private function press( int $wc_id, string $action, ?string $nonce = null, array $fields = array() ): void {
		$GLOBALS['pagenow']        = 'admin-post.php';
		$_SERVER['REQUEST_METHOD'] = 'POST';
		$_GET                      = array( 'expedio_command' => '1' );
		$_POST                     = array_merge(
			array(
				'action'         => 'editpost',
				'_wpnonce'       => wp_create_nonce( 'update-post_' . $wc_id ),
				'expedio_nonce'  => $nonce ?? wp_create_nonce( 'expedio_order_action_' . $wc_id ),
				'expedio_order'  => (string) $wc_id,
				'expedio_action' => $action,
			),
			$fields
		);
		$_REQUEST = array_merge( $_GET, $_POST );
		$this->assertSame( 1, has_action( 'admin_init', array( $this->plugin->order_screen, 'maybe_handle_action' ) ), 'admin-post.php fires admin_init first' );
		try {
			$this->plugin->order_screen->maybe_handle_action();
		} finally {
			$_SERVER['REQUEST_METHOD'] = 'GET';
			$GLOBALS['pagenow']        = 'index.php';
		}
	}

	public function test_the_box_is_added_to_the_hpos_and_the_legacy_order_screen_for_store_managers_only(): void {
		global $wp_meta_boxes;
		$order = expedio_test_create_order();

		do_action( 'add_meta_boxes', 'woocommerce_page_wc-orders', $order );
		do_action( 'add_meta_boxes', 'shop_order', get_post( $order->get_id() ) );
		do_action( 'add_meta_boxes', 'post', get_post( $order->get_id() ) );

		$this->assertSame( 'Expedio', $wp_meta_boxes['woocommerce_page_wc-orders']['side']['high']['expedio-order']['title'] );
		$this->assertSame( 'Expedio', $wp_meta_boxes['shop_order']['side']['high']['expedio-order']['title'] );
		$this->assertArrayNotHasKey( 'post', $wp_meta_boxes ?? array() );

		$wp_meta_boxes = array();
		$this->log_in( 'customer' );
		do_action( 'add_meta_boxes', 'woocommerce_page_wc-orders', $order );
		$this->assertSame( array(), $wp_meta_boxes );
	}

	public function test_the_box_shows_status_reserved_and_missing_and_only_the_commands_the_status_allows(): void {
		$this->configure();
		$order = expedio_test_create_order();
		$this->core_has_order(
			$order->get_id(),
			'processing',
			array(
				'lines' => array(
					array( 'lineNo' => 1, 'quantity' => 3, 'quantityReserved' => 2, 'unreserved' => 1 ),
					array( 'lineNo' => 2, 'quantity' => 1, 'quantityReserved' => 1, 'unreserved' => 0 ),
				),
			)
		);

		$html = $this->box( $order );

		$this->assertStringContainsString( 'expedio-status-processing">Processing</span>', $html );
		$this->assertStringContainsString( 'To reserve on confirming: 1', $html );
		foreach ( array( 'confirm', 'hold', 'cancel' ) as $action ) {
			$this->assertStringContainsString( 'name="expedio_action" value="' . $action . '"', $html );
		}
		$this->assertStringNotContainsString( 'value="partial"', $html, 'partial delivery answers a hold for stock' );
		$this->assertStringNotContainsString( 'value="awb"', $html );
		$this->assertStringNotContainsString( 'value="invoice"', $html );
		$this->assertStringContainsString( 'formaction="http://shop.test/wp-admin/admin-post.php?expedio_command=1"', $html );
		$this->assertStringContainsString( 'name="expedio_nonce" value="' . wp_create_nonce( 'expedio_order_action_' . $order->get_id() ) . '"', $html );
		$this->assertStringNotContainsString( self::API_KEY, $html );
		$this->assertSame( 'externalOrderId=' . $order->get_id(), 'externalOrderId=' . $this->core_calls( 'GET', '/api/v1/orders' )[0]['query']['externalOrderId'] );
		$this->assertSame( self::CHANNEL_ID, $this->core_calls( 'GET', '/api/v1/orders' )[0]['query']['channelId'] );
	}

	public function test_the_legacy_screen_passes_a_post_and_gets_the_same_box(): void {
		$this->configure();
		$order = expedio_test_create_order();
		$this->core_has_order(
			$order->get_id(),
			'on_hold',
			array(
				'holdReason' => 'stock missing for SKU-9',
				'lines'      => array(
					array( 'lineNo' => 1, 'quantity' => 3, 'quantityReserved' => 2, 'unreserved' => 1 ),
					array( 'lineNo' => 2, 'quantity' => 1, 'quantityReserved' => 1, 'unreserved' => 0 ),
				),
			)
		);

		$html = $this->box( get_post( $order->get_id() ) );

		$this->assertStringContainsString( 'Reserved: 3 · Missing: 1', $html );
		$this->assertStringContainsString( 'On hold', $html );
		$this->assertStringContainsString( 'Stalled:</strong> stock missing for SKU-9', $html );
		$this->assertStringContainsString( 'value="confirm"', $html );
		$this->assertStringContainsString( 'value="partial"', $html );
		$this->assertStringNotContainsString( 'value="hold"', $html );
	}

	public function test_a_shipped_order_shows_its_awb_tracking_link_and_label_and_offers_the_invoice(): void {
		$this->configure();
		$order = expedio_test_create_order();
		$this->core_has_order(
			$order->get_id(),
			'shipping',
			array(
				'shipments' => array(
					array( 'id' => 'shp_7', 'awb' => '1ONB24681357', 'courier' => 'sameday', 'status' => 'in_transit', 'trackingUrl' => 'https://sameday.ro/#awb=1ONB24681357' ),
				),
			)
		);

		$html = $this->box( $order );

		$this->assertStringContainsString( '1ONB24681357', $html );
		$this->assertStringContainsString( 'href="https://sameday.ro/#awb=1ONB24681357"', $html );
		$this->assertMatchesRegularExpression( '#admin-post\.php\?action=expedio_pdf&\#038;kind=label&\#038;id=shp_7&\#038;_wpnonce=[0-9a-f]{10}#', $html );
		$this->assertStringContainsString( 'value="invoice"', $html );
		$this->assertStringNotContainsString( 'value="confirm"', $html );
		// Only a delivered order may come back (the core's returns area).
		$this->assertStringNotContainsString( 'Start a return', $html );
	}

	/**
	 * A delivered WooCommerce order the core can take back: line 1 (2 units), line 2 already returned.
	 */
	private function delivered_order(): array {
		$this->configure();
		$order = expedio_test_create_order();
		$id    = $this->core_has_order( $order->get_id(), 'delivered', array( 'lines' => array( array( 'lineNo' => 1, 'sku' => 'MUG-1', 'name' => 'Mug', 'quantity' => 2, 'quantityReserved' => 2, 'unreserved' => 0 ) ) ) );
		$this->core_answers[ 'GET /api/v1/orders/' . $id . '/returnable' ] = array(
			200,
			array(
				'orderStatus' => 'delivered',
				'deliveredAt' => '2026-11-28T10:00:00.000Z',
				'windowDays'  => 14,
				'withinWindow' => true,
				'reason'      => null,
				'lines'       => array(
					array( 'orderLineNo' => 1, 'sku' => 'MUG-1', 'name' => 'Mug', 'delivered' => 2, 'alreadyReturned' => 0, 'returnable' => 2, 'reasons' => array() ),
					array( 'orderLineNo' => 2, 'sku' => 'CAP', 'name' => 'Cap', 'delivered' => 1, 'alreadyReturned' => 1, 'returnable' => 0, 'reasons' => array( 'already returned' ) ),
				),
			),
		);
		return array( $order, $id );
	}

	public function test_a_delivered_order_offers_a_return_of_what_may_come_back_line_by_line(): void {
		[ $order ] = $this->delivered_order();

		$html = $this->box( $order );

		$this->assertStringContainsString( 'Start a return', $html );
		$this->assertStringContainsString( 'name="expedio_return_qty[1]" value="0"', $html );
		$this->assertStringContainsString( 'max="2"', $html );
		$this->assertStringNotContainsString( 'expedio_return_qty[2]', $html, 'a line with nothing left to return is not offered' );
		$this->assertStringContainsString( 'name="expedio_action" value="return"', $html );
		$this->assertStringContainsString( 'name="expedio_nonce"', $html );
	}

	public function test_starting_a_return_from_the_box_sends_the_lines_and_the_reason_to_the_core(): void {
		[ $order, $id ] = $this->delivered_order();
		$this->core_answers['POST /api/v1/returns'] = array( 201, array( 'id' => '41', 'orderId' => $id, 'type' => 'fully', 'status' => 'requested' ) );

		try {
			$this->press( $order->get_id(), 'return', null, array( 'expedio_return_qty' => array( '1' => '2', '2' => '0' ), 'expedio_return_reason' => ' Wrong size ' ) );
			$this->fail( 'the handler should have redirected' );
		} catch ( Expedio_Test_Redirect $e ) {
			$this->assertSame( 'http://shop.test/wp-admin/admin.php?page=wc-orders&action=edit&id=' . $order->get_id(), $e->getMessage() );
		}

		$sent = $this->core_calls( 'POST', '/api/v1/returns' );
		$this->assertCount( 1, $sent );
		$this->assertSame(
			array(
				'orderId' => $id,
				'type'    => 'fully',
				'lines'   => array( array( 'orderLineNo' => 1, 'quantity' => 2, 'reason' => 'Wrong size' ) ),
				'reason'  => 'Wrong size',
			),
			$sent[0]['body']
		);
		$this->assertStringContainsString( 'Order #' . $order->get_id() . ': return 41 started for 2 units.', $this->rendered_notices() );
	}

	public function test_less_than_all_is_a_partial_return_and_the_cores_refusal_is_shown_as_it_says_it(): void {
		[ $order, $id ] = $this->delivered_order();
		$this->core_answers['POST /api/v1/returns'] = array( 400, array( 'error' => array( 'code' => 'VALIDATION', 'message' => 'line 1 (MUG-1): outside the return window', 'details' => array() ) ) );

		try {
			$this->press( $order->get_id(), 'return', null, array( 'expedio_return_qty' => array( '1' => '1' ), 'expedio_return_reason' => 'Broken' ) );
		} catch ( Expedio_Test_Redirect $e ) {
			$this->assertNotNull( $this->redirect );
		}

		$this->assertSame( 'partially', $this->core_calls( 'POST', '/api/v1/returns' )[0]['body']['type'] );
		$this->assertStringContainsString( 'Expedio core (HTTP 400): line 1 (MUG-1): outside the return window', $this->rendered_notices() );
	}

	public function test_a_return_without_a_reason_or_without_units_is_refused_before_the_core(): void {
		[ $order ] = $this->delivered_order();

		foreach ( array( array( array( '1' => '2' ), '' ), array( array( '1' => '0' ), 'Wrong size' ) ) as [ $qty, $reason ] ) {
			try {
				$this->press( $order->get_id(), 'return', null, array( 'expedio_return_qty' => $qty, 'expedio_return_reason' => $reason ) );
			} catch ( Expedio_Test_Redirect $e ) {
				$this->assertNotNull( $this->redirect );
			}
		}

		$this->assertSame( array(), $this->core_calls( 'POST', '/api/v1/returns' ) );
		$html = $this->rendered_notices();
		$this->assertStringContainsString( 'notice-error', $html );
	}

	public function test_a_return_with_a_forged_nonce_or_from_a_customer_is_refused_and_calls_no_core(): void {
		[ $order ] = $this->delivered_order();
		$fields    = array( 'expedio_return_qty' => array( '1' => '2' ), 'expedio_return_reason' => 'Wrong size' );

		try {
			$this->press( $order->get_id(), 'return', 'forged', $fields );
			$this->fail( 'the request should have ended' );
		} catch ( Expedio_Test_Die $e ) {
			$this->assertSame( 403, $e->status );
		}
		$this->log_in( 'customer' );
		try {
			$this->press( $order->get_id(), 'return', null, $fields );
			$this->fail( 'the request should have ended' );
		} catch ( Expedio_Test_Die $e ) {
			$this->assertSame( 403, $e->status );
		}
		$this->assertSame( array(), $this->core_calls( 'POST', '/api/v1/returns' ) );
	}

	public function test_an_order_the_core_does_not_have_yet_says_so(): void {
		$this->configure();
		$order = expedio_test_create_order();
		$this->core_answers['GET /api/v1/orders'] = array( 200, array( 'orders' => array(), 'nextCursor' => null ) );

		$this->assertStringContainsString( 'This order is not in Expedio yet', $this->box( $order ) );
	}

	public function test_an_unreachable_core_is_shown_in_the_box_in_the_merchants_words(): void {
		$this->configure();
		$order = expedio_test_create_order();
		$this->core_answers['GET /api/v1/orders'] = array( 0, new WP_Error( 'http_request_failed', 'cURL error 7: Connection refused' ) );

		$this->assertStringContainsString( 'Could not reach the Expedio core at http://127.0.0.1:3000', $this->box( $order ) );
	}

	public function test_confirm_from_the_box_sends_the_command_to_the_core_and_returns_to_the_order_with_a_notice(): void {
		$this->configure();
		$order = expedio_test_create_order();
		$id    = $this->core_has_order( $order->get_id(), 'processing' );
		$this->core_answers[ 'POST /api/v1/orders/' . $id . '/confirm' ] = array( 200, array( 'orderId' => $id, 'status' => 'confirmed' ) );

		try {
			$this->press( $order->get_id(), 'confirm' );
			$this->fail( 'the handler should have redirected' );
		} catch ( Expedio_Test_Redirect $e ) {
			$this->assertSame( 'http://shop.test/wp-admin/admin.php?page=wc-orders&action=edit&id=' . $order->get_id(), $e->getMessage() );
		}

		$confirm = $this->core_calls( 'POST', '/api/v1/orders/' . $id . '/confirm' );
		$this->assertCount( 1, $confirm );
		$this->assertSame( array( 'partial' => false ), $confirm[0]['body'] );
		$this->assertSame( 'Bearer ' . self::API_KEY, $confirm[0]['headers']['Authorization'] );
		$this->assertStringContainsString( 'Order #' . $order->get_id() . ' is now Confirmed in Expedio.', $this->rendered_notices() );
	}

	public function test_hold_and_cancel_send_the_reason_and_the_cores_refusal_is_shown_as_it_says_it(): void {
		$this->configure();
		$order = expedio_test_create_order();
		$id    = $this->core_has_order( $order->get_id(), 'processing' );
		$this->core_answers[ 'POST /api/v1/orders/' . $id . '/hold' ]   = array( 200, array( 'orderId' => $id, 'status' => 'on_hold' ) );
		$this->core_answers[ 'POST /api/v1/orders/' . $id . '/cancel' ] = array( 409, array( 'error' => array( 'code' => 'CONFLICT', 'message' => 'Order ord_1 cannot be cancelled while shipping.', 'details' => null ) ) );

		try {
			$this->press( $order->get_id(), 'hold', null, array( 'expedio_reason' => 'client asked to wait' ) );
		} catch ( Expedio_Test_Redirect $e ) {
			$this->assertNotNull( $this->redirect );
		}
		try {
			$this->press( $order->get_id(), 'cancel' );
		} catch ( Expedio_Test_Redirect $e ) {
			$this->assertNotNull( $this->redirect );
		}

		$this->assertSame( array( 'reason' => 'client asked to wait' ), $this->core_calls( 'POST', '/api/v1/orders/' . $id . '/hold' )[0]['body'] );
		$html = $this->rendered_notices();
		$this->assertStringContainsString( 'notice-error', $html );
		$this->assertStringContainsString( 'Expedio core (HTTP 409): Order ord_1 cannot be cancelled while shipping.', $html );
	}

	public function test_a_command_with_a_forged_nonce_or_from_a_customer_is_refused_and_calls_no_core(): void {
		$this->configure();
		$order = expedio_test_create_order();
		$this->core_has_order( $order->get_id(), 'processing' );

		try {
			$this->press( $order->get_id(), 'confirm', 'forged' );
			$this->fail( 'the request should have ended' );
		} catch ( Expedio_Test_Die $e ) {
			$this->assertSame( 403, $e->status );
		}
		$this->log_in( 'customer' );
		try {
			$this->press( $order->get_id(), 'confirm' );
			$this->fail( 'the request should have ended' );
		} catch ( Expedio_Test_Die $e ) {
			$this->assertSame( 403, $e->status );
		}
		$this->assertSame( array(), $this->core_requests );
	}

	public function test_a_nonce_made_for_another_order_does_not_work_for_this_one(): void {
		$this->configure();
		$order = expedio_test_create_order();
		$other = expedio_test_create_order();
		$this->core_has_order( $order->get_id(), 'processing' );

		$this->expectException( Expedio_Test_Die::class );
		$this->press( $order->get_id(), 'confirm', wp_create_nonce( 'expedio_order_action_' . $other->get_id() ) );
	}

	public function test_create_awb_uses_the_cheapest_quote_of_the_orders_packing_list(): void {
		$this->configure();
		$order = expedio_test_create_order();
		$id    = $this->core_has_order( $order->get_id(), 'packed', array( 'packingLists' => array( array( 'id' => 'pl_3', 'status' => 'closed' ) ) ) );
		$this->core_answers['GET /api/v1/packing-lists/pl_3/quotes'] = array(
			200,
			array(
				'cheapest' => array( array( 'courier' => 'fan', 'service' => 'standard', 'price' => '14.90' ), array( 'courier' => 'sameday', 'service' => '24h', 'price' => '16.50' ) ),
				'fastest'  => array(),
				'failures' => array(),
				'pick'     => array(),
			),
		);
		$this->core_answers['POST /api/v1/packing-lists/pl_3/awb'] = array( 201, array( 'id' => 'shp_9', 'awb' => '2150000123', 'courier' => 'fan', 'status' => 'created' ) );

		$result = $this->plugin->order_card->run( 'awb', $order->get_id() );

		$this->assertSame( array( 'courier' => 'fan', 'service' => 'standard' ), $this->core_calls( 'POST', '/api/v1/packing-lists/pl_3/awb' )[0]['body'] );
		$this->assertSame( 'Order #' . $order->get_id() . ': AWB 2150000123 (fan).', $result['message'] );
		$this->assertSame( $id, $result['orderId'] );
	}

	public function test_create_awb_before_packing_says_what_is_missing(): void {
		$this->configure();
		$order = expedio_test_create_order();
		$this->core_has_order( $order->get_id(), 'confirmed' );

		$result = $this->plugin->order_card->run( 'awb', $order->get_id() );

		$this->assertSame( 'expedio_not_packed', $result->get_error_code() );
		$this->assertSame( array(), $this->core_calls( 'POST', '/api/v1/packing-lists/pl_3/awb' ) );
	}

	public function test_issuing_the_invoice_remembers_it_on_the_order_and_the_box_links_its_pdf_and_e_factura_state(): void {
		$this->configure();
		$order = expedio_test_create_order();
		$id    = $this->core_has_order( $order->get_id(), 'confirmed' );
		$this->core_answers[ 'POST /api/v1/orders/' . $id . '/invoice' ] = array( 201, array( 'invoiceId' => 'inv_4', 'number' => 'EXP 0042', 'created' => true, 'eInvoice' => true ) );
		$this->core_answers['GET /api/v1/invoices/inv_4']                = array( 200, array( 'id' => 'inv_4', 'eInvoice' => array( 'state' => 'submitted', 'anafState' => null ) ) );

		$result = $this->plugin->order_card->run( 'invoice', $order->get_id() );
		$html   = $this->box( wc_get_order( $order->get_id() ) );

		$this->assertSame( 'Order #' . $order->get_id() . ': invoice EXP 0042 issued.', $result['message'] );
		$this->assertSame( array( 'id' => 'inv_4', 'number' => 'EXP 0042' ), wc_get_order( $order->get_id() )->get_meta( '_expedio_invoice' ) );
		$this->assertStringContainsString( 'EXP 0042', $html );
		$this->assertStringContainsString( 'kind=invoice&#038;id=inv_4', $html );
		$this->assertStringContainsString( 'e-Factura: submitted', $html );
	}

	public function test_the_pdf_link_needs_its_nonce_and_the_capability(): void {
		$this->configure();
		$_GET     = array( 'kind' => 'label', 'id' => 'shp_7', '_wpnonce' => 'forged' );
		$_REQUEST = $_GET;
		try {
			$this->plugin->order_screen->handle_pdf();
			$this->fail( 'the request should have ended' );
		} catch ( Expedio_Test_Die $e ) {
			$this->assertSame( 403, $e->status );
		}
		$this->log_in( 'customer' );
		parse_str( (string) wp_parse_url( html_entity_decode( \Expedio\Order_Screen::pdf_url( 'label', 'shp_7' ) ), PHP_URL_QUERY ), $_GET );
		$_REQUEST = $_GET;
		try {
			$this->plugin->order_screen->handle_pdf();
			$this->fail( 'the request should have ended' );
		} catch ( Expedio_Test_Die $e ) {
			$this->assertSame( 403, $e->status );
		}
		$this->assertSame( array(), $this->core_requests );
	}

	public function test_the_list_gets_an_expedio_column_after_the_status_on_both_screens(): void {
		$columns = array( 'cb' => '<input type="checkbox" />', 'order_number' => 'Order', 'order_status' => 'Status', 'order_total' => 'Total' );

		$hpos   = apply_filters( 'manage_woocommerce_page_wc-orders_columns', $columns );
		$legacy = apply_filters( 'manage_edit-shop_order_columns', $columns );

		$this->assertSame( array( 'cb', 'order_number', 'order_status', 'expedio_status', 'order_total' ), array_keys( $hpos ) );
		$this->assertSame( array_keys( $hpos ), array_keys( $legacy ) );
	}

	public function test_the_column_shows_each_orders_expedio_status_from_one_core_call(): void {
		$this->configure();
		$first  = expedio_test_create_order();
		$second = expedio_test_create_order();
		$third  = expedio_test_create_order();
		$this->core_has_order( $first->get_id(), 'confirmed' );
		$this->core_has_order( $second->get_id(), 'shipping' );

		ob_start();
		do_action( 'manage_woocommerce_page_wc-orders_custom_column', 'expedio_status', $first );
		do_action( 'manage_woocommerce_page_wc-orders_custom_column', 'expedio_status', $second );
		do_action( 'manage_shop_order_posts_custom_column', 'expedio_status', $third->get_id() );
		do_action( 'manage_shop_order_posts_custom_column', 'order_total', $third->get_id() );
		$html = (string) ob_get_clean();

		$this->assertStringContainsString( 'expedio-status-confirmed"><span>Confirmed</span>', $html );
		$this->assertStringContainsString( 'expedio-status-shipping"><span>Shipping</span>', $html );
		$this->assertStringContainsString( 'expedio-status-none', $html );
		$this->assertCount( 1, $this->core_requests );
		$this->assertArrayNotHasKey( 'externalOrderId', $this->core_requests[0]['query'] );
	}
}
