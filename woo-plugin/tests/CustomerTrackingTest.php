<?php
/**
 * Tracking for the customer: My Account's order view and WooCommerce's customer e-mails.
 *
 * @package Expedio
 */

/**
 * Customer_Tracking reading the Shipment Tracking meta the core writes.
 */
final class CustomerTrackingTest extends Expedio_Test_Case {

	private function shipped_order(): WC_Order {
		$order = expedio_test_create_order( 'processing', self::$users['customer'] );
		// What core/src/channels/woocommerce/push-woo-shipment.ts writes (wooTrackingItem).
		$order->update_meta_data(
			'_wc_shipment_tracking_items',
			array(
				array(
					'tracking_provider'        => '',
					'custom_tracking_provider' => 'Sameday',
					'custom_tracking_link'     => 'https://sameday.ro/#awb=1ONB24681357',
					'tracking_number'          => '1ONB24681357',
					'date_shipped'             => (string) strtotime( '2026-11-30 10:00:00' ),
					'tracking_id'              => md5( 'expedio:1ONB24681357' ),
				),
			)
		);
		$order->save();
		return wc_get_order( $order->get_id() );
	}

	private function capture( string $hook, ...$args ): string {
		ob_start();
		do_action( $hook, ...$args );
		return (string) ob_get_clean();
	}

	public function test_my_account_order_view_shows_the_courier_the_number_and_the_tracking_link(): void {
		$order = $this->shipped_order();
		$this->log_in( 'customer' );

		$html = $this->capture( 'woocommerce_view_order', $order->get_id() );

		$this->assertStringContainsString( 'Your parcel', $html );
		$this->assertStringContainsString( '<td>Sameday</td>', $html );
		$this->assertStringContainsString( '1ONB24681357', $html );
		$this->assertStringContainsString( 'href="https://sameday.ro/#awb=1ONB24681357"', $html );
		$this->assertStringContainsString( 'November 30, 2026', $html );
	}

	public function test_another_customers_order_shows_nothing(): void {
		$order = $this->shipped_order();
		$this->log_in( 'subscriber' );

		$this->assertSame( '', $this->capture( 'woocommerce_view_order', $order->get_id() ) );
	}

	public function test_an_order_without_tracking_shows_nothing(): void {
		$order = expedio_test_create_order( 'processing', self::$users['customer'] );
		$this->log_in( 'customer' );

		$this->assertSame( '', $this->capture( 'woocommerce_view_order', $order->get_id() ) );
	}

	public function test_a_link_that_is_not_http_is_not_printed(): void {
		$order = $this->shipped_order();
		$items = $order->get_meta( '_wc_shipment_tracking_items' );
		$items[0]['custom_tracking_link'] = 'javascript:alert(1)';
		$order->update_meta_data( '_wc_shipment_tracking_items', $items );
		$order->save();
		$this->log_in( 'customer' );

		$html = $this->capture( 'woocommerce_view_order', $order->get_id() );

		$this->assertStringContainsString( '1ONB24681357', $html );
		$this->assertStringNotContainsString( 'javascript:', $html );
	}

	public function test_customer_e_mails_carry_the_tracking_and_the_shops_copy_does_not(): void {
		$order = $this->shipped_order();

		$html  = $this->capture( 'woocommerce_email_before_order_table', $order, false, false, null );
		$plain = $this->capture( 'woocommerce_email_before_order_table', $order, false, true, null );
		$admin = $this->capture( 'woocommerce_email_before_order_table', $order, true, false, null );

		$this->assertStringContainsString( 'Sameday, tracking number 1ONB24681357', $html );
		$this->assertStringContainsString( '<a href="https://sameday.ro/#awb=1ONB24681357">Track your parcel</a>', $html );
		$this->assertStringContainsString( "Sameday, tracking number 1ONB24681357: https://sameday.ro/#awb=1ONB24681357\n", $plain );
		$this->assertStringNotContainsString( '<', $plain );
		$this->assertSame( '', $admin );
	}

	public function test_the_order_notes_expedio_adds_for_the_customer_are_the_orders_customer_notes(): void {
		$order = $this->shipped_order();
		$order->add_order_note( 'Comanda a fost predată curierului Sameday, AWB 1ONB24681357.', 1 );
		$order->add_order_note( 'Internal: label printed', 0 );

		$notes = array_map( static fn( $c ) => $c->comment_content, wc_get_order( $order->get_id() )->get_customer_order_notes() );

		$this->assertSame( array( 'Comanda a fost predată curierului Sameday, AWB 1ONB24681357.' ), $notes );
	}
}
