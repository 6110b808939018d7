<?php
/**
 * What the customer sees of the shipment: courier, tracking number and link on My Account's order
 * view and in WooCommerce's customer e-mails. Read from the order's `_wc_shipment_tracking_items`
 * meta, the Shipment Tracking shape the core writes (so other tracking plugins read it too).
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * woocommerce_view_order and woocommerce_email_before_order_table.
 */
final class Customer_Tracking {

	public const META = '_wc_shipment_tracking_items';

	/**
	 * The parcels of an order with a tracking number.
	 *
	 * @return array<int, array{courier: string, number: string, link: string, shipped: string}>
	 */
	public static function items( \WC_Order $order ): array {
		$raw   = $order->get_meta( self::META );
		$items = array();
		foreach ( is_array( $raw ) ? $raw : array() as $item ) {
			if ( ! is_array( $item ) || empty( $item['tracking_number'] ) ) {
				continue;
			}
			$courier = (string) ( $item['custom_tracking_provider'] ?? '' );
			if ( '' === $courier ) {
				$courier = (string) ( $item['tracking_provider'] ?? '' );
			}
			$link = (string) ( $item['custom_tracking_link'] ?? '' );
			$items[] = array(
				'courier' => $courier,
				'number'  => (string) $item['tracking_number'],
				'link'    => preg_match( '#^https?://#i', $link ) ? $link : '',
				'shipped' => isset( $item['date_shipped'] ) && is_numeric( $item['date_shipped'] ) ? date_i18n( get_option( 'date_format' ), (int) $item['date_shipped'] ) : '',
			);
		}
		return $items;
	}

	/**
	 * My Account → Orders → View: after the order details.
	 *
	 * @param int $order_id The order being viewed (WooCommerce checked it is this customer's).
	 */
	public function render_view_order( $order_id ): void {
		$order = wc_get_order( $order_id );
		if ( ! $order || (int) $order->get_customer_id() !== get_current_user_id() ) {
			return;
		}
		$items = self::items( $order );
		if ( array() === $items ) {
			return;
		}
		echo '<section class="expedio-tracking woocommerce-order-tracking"><h2>' . esc_html( _n( 'Your parcel', 'Your parcels', count( $items ), 'expedio' ) ) . '</h2>';
		echo '<table class="woocommerce-table shop_table"><thead><tr><th>' . esc_html__( 'Courier', 'expedio' ) . '</th><th>' . esc_html__( 'Tracking number', 'expedio' ) . '</th><th>' . esc_html__( 'Shipped', 'expedio' ) . '</th><th></th></tr></thead><tbody>';
		foreach ( $items as $item ) {
			echo '<tr><td>' . esc_html( $item['courier'] ) . '</td><td class="expedio-tracking-number">' . esc_html( $item['number'] ) . '</td><td>' . esc_html( $item['shipped'] ) . '</td><td>';
			if ( '' !== $item['link'] ) {
				echo '<a class="button expedio-track" href="' . esc_url( $item['link'] ) . '" target="_blank" rel="noopener noreferrer">' . esc_html__( 'Track', 'expedio' ) . '</a>';
			}
			echo '</td></tr>';
		}
		echo '</tbody></table></section>';
	}

	/**
	 * Customer e-mails (not the copies to the shop): the tracking above the order table.
	 *
	 * @param \WC_Order $order         The order.
	 * @param bool      $sent_to_admin Whether this is the shop's copy.
	 * @param bool      $plain_text    Plain-text e-mail.
	 * @param mixed     $email         The WC_Email.
	 */
	public function render_email( $order, $sent_to_admin = false, $plain_text = false, $email = null ): void {
		if ( ! $order instanceof \WC_Order || $sent_to_admin ) {
			return;
		}
		$items = self::items( $order );
		if ( array() === $items ) {
			return;
		}
		if ( $plain_text ) {
			echo "\n" . esc_html( strtoupper( _n( 'Your parcel', 'Your parcels', count( $items ), 'expedio' ) ) ) . "\n";
			foreach ( $items as $item ) {
				/* translators: 1: courier, 2: tracking number */
				echo esc_html( sprintf( __( '%1$s, tracking number %2$s', 'expedio' ), $item['courier'], $item['number'] ) ) . ( '' !== $item['link'] ? ': ' . esc_url_raw( $item['link'] ) : '' ) . "\n";
			}
			echo "\n";
			return;
		}
		echo '<h2>' . esc_html( _n( 'Your parcel', 'Your parcels', count( $items ), 'expedio' ) ) . '</h2><p>';
		foreach ( $items as $item ) {
			/* translators: 1: courier, 2: tracking number */
			echo esc_html( sprintf( __( '%1$s, tracking number %2$s', 'expedio' ), $item['courier'], $item['number'] ) );
			if ( '' !== $item['link'] ) {
				echo ' — <a href="' . esc_url( $item['link'] ) . '">' . esc_html__( 'Track your parcel', 'expedio' ) . '</a>';
			}
			echo '<br />';
		}
		echo '</p>';
	}
}
