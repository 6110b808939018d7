<?php
/**
 * What Expedio knows about one WooCommerce order, and the commands a store manager may give it,
 * read from and sent to the core. WooCommerce's order id is the core's externalOrderId.
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * The order card the meta box shows and the bulk jobs act through.
 */
final class Order_Card {

	/** The commands of the meta box and what they send to the core. */
	public const ACTIONS = array( 'confirm', 'partial', 'hold', 'cancel', 'awb', 'invoice' );

	/**
	 * The Expedio statuses from which each command is legal (core/src/orders/order-status.ts);
	 * the core still decides and its refusal is shown as it words it.
	 */
	private const ALLOWED_FROM = array(
		// Confirming validates first (new → processing → confirmed); partial is the answer to a hold for stock.
		'confirm' => array( 'new', 'processing', 'on_hold' ),
		'partial' => array( 'on_hold' ),
		'hold'    => array( 'new', 'processing', 'confirmed', 'picking', 'picked' ),
		'cancel'  => array( 'draft', 'new', 'processing', 'confirmed', 'on_hold', 'picking', 'picked', 'packed', 'ready' ),
		'awb'     => array( 'packed', 'ready' ),
		'invoice' => array( 'confirmed', 'picking', 'picked', 'packed', 'ready', 'shipping', 'delivered' ),
	);

	/** WooCommerce order meta where the last issued invoice is remembered for the box. */
	public const INVOICE_META = '_expedio_invoice';

	public function __construct( private Core_Client $core ) {
	}

	/**
	 * The core's order for a WooCommerce order: null when the core has none (not synced yet).
	 *
	 * @return array<string, mixed>|null|\WP_Error
	 */
	public function find( int $wc_order_id ) {
		$page = $this->core->call( 'GET', '/api/v1/orders', array( 'externalOrderId' => (string) $wc_order_id, 'limit' => 1 ) );
		if ( is_wp_error( $page ) ) {
			return $page;
		}
		$orders = is_array( $page ) && isset( $page['orders'] ) && is_array( $page['orders'] ) ? $page['orders'] : array();
		return isset( $orders[0] ) && is_array( $orders[0] ) ? $orders[0] : null;
	}

	/**
	 * Everything the box shows: the order with its lines, its shipments, its packing lists, the
	 * invoice the plugin issued, and the commands its status allows.
	 *
	 * @return array<string, mixed>|null|\WP_Error Null when the core has no such order.
	 */
	public function load( int $wc_order_id ) {
		$summary = $this->find( $wc_order_id );
		if ( ! is_array( $summary ) ) {
			return $summary;
		}
		$id     = rawurlencode( (string) $summary['id'] );
		$detail = $this->core->call( 'GET', '/api/v1/orders/' . $id );
		if ( is_wp_error( $detail ) ) {
			return $detail;
		}
		$shipments = $this->core->call( 'GET', '/api/v1/shipments', array( 'orderId' => (string) $summary['id'], 'limit' => 10 ) );
		$packing   = $this->core->call( 'GET', '/api/v1/packing-lists', array( 'orderId' => (string) $summary['id'] ) );
		$lines     = is_array( $detail['lines'] ?? null ) ? $detail['lines'] : array();
		$status    = (string) ( $detail['status'] ?? $summary['status'] );
		return array(
			'order'        => array_merge( $summary, is_array( $detail ) ? $detail : array() ),
			'reserved'     => array_sum( array_map( static fn( $l ) => (float) ( $l['quantityReserved'] ?? 0 ), $lines ) ),
			'missing'      => array_sum( array_map( static fn( $l ) => (float) ( $l['unreserved'] ?? 0 ), $lines ) ),
			'shipments'    => is_array( $shipments ) && is_array( $shipments['shipments'] ?? null ) ? $shipments['shipments'] : array(),
			'packingLists' => is_array( $packing ) && is_array( $packing['packingLists'] ?? null ) ? $packing['packingLists'] : array(),
			'invoice'      => $this->invoice_of( $wc_order_id ),
			'actions'      => $this->allowed( $status ),
			'returnable'   => 'delivered' === $status ? $this->returnable( (string) $summary['id'] ) : null,
		);
	}

	/**
	 * GET /api/v1/orders/{id}/returnable: what of a delivered order may come back, line by line.
	 * Null when the core refuses (the box then offers no return).
	 *
	 * @return array<string, mixed>|null
	 */
	public function returnable( string $expedio_id ): ?array {
		$r = $this->core->call( 'GET', '/api/v1/orders/' . rawurlencode( $expedio_id ) . '/returnable' );
		return is_array( $r ) && is_array( $r['lines'] ?? null ) ? $r : null;
	}

	/**
	 * POST /api/v1/returns for a WooCommerce order: the quantities per order line the store manager
	 * entered (0 or empty: that line stays), with one reason. All of what may come back is a full
	 * return, less is a partial one; the core refuses naming the line and why.
	 *
	 * @param array<int|string, mixed> $quantities Order line number => quantity.
	 * @return array<string, mixed>|\WP_Error The return, with `message` for the notice.
	 */
	public function start_return( int $wc_order_id, array $quantities, string $reason ) {
		$summary = $this->find( $wc_order_id );
		if ( is_wp_error( $summary ) ) {
			return $summary;
		}
		if ( null === $summary ) {
			/* translators: %d: WooCommerce order number */
			return new \WP_Error( 'expedio_order_unknown', sprintf( __( 'Order #%d is not in Expedio yet.', 'expedio' ), $wc_order_id ), array( 'status' => 404 ) );
		}
		$reason = trim( sanitize_text_field( $reason ) );
		if ( '' === $reason ) {
			return new \WP_Error( 'expedio_return_reason', __( 'Say why the goods come back (the return reason).', 'expedio' ), array( 'status' => 400 ) );
		}
		$lines = array();
		foreach ( $quantities as $line_no => $qty ) {
			$qty = is_scalar( $qty ) ? absint( $qty ) : 0;
			if ( $qty > 0 && absint( $line_no ) > 0 ) {
				$lines[] = array(
					'orderLineNo' => absint( $line_no ),
					'quantity'    => $qty,
					'reason'      => $reason,
				);
			}
		}
		if ( array() === $lines ) {
			return new \WP_Error( 'expedio_return_lines', __( 'Enter how many units of at least one line come back.', 'expedio' ), array( 'status' => 400 ) );
		}
		$eligible = $this->returnable( (string) $summary['id'] );
		$all      = is_array( $eligible );
		foreach ( $all ? $eligible['lines'] : array() as $line ) {
			$asked = 0;
			foreach ( $lines as $l ) {
				$asked += $l['orderLineNo'] === (int) $line['orderLineNo'] ? $l['quantity'] : 0;
			}
			$all = $all && $asked === (int) $line['returnable'];
		}
		$result = $this->core->call(
			'POST',
			'/api/v1/returns',
			array(),
			array(
				'orderId' => (string) $summary['id'],
				'type'    => $all ? 'fully' : 'partially',
				'lines'   => $lines,
				'reason'  => $reason,
			)
		);
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		$units             = array_sum( array_column( $lines, 'quantity' ) );
		$result            = is_array( $result ) ? $result : array();
		$result['message'] = sprintf(
			/* translators: 1: order number, 2: return id, 3: units */
			_n( 'Order #%1$d: return %2$s started for %3$d unit.', 'Order #%1$d: return %2$s started for %3$d units.', $units, 'expedio' ),
			$wc_order_id,
			(string) ( $result['id'] ?? '' ),
			$units
		);
		return $result;
	}

	/**
	 * @return string[] The commands the status allows, in ACTIONS order.
	 */
	public function allowed( string $status ): array {
		return array_values( array_filter( self::ACTIONS, static fn( $a ) => in_array( $status, self::ALLOWED_FROM[ $a ], true ) ) );
	}

	/**
	 * Runs one command on the core's order of a WooCommerce order.
	 *
	 * @param array<string, string> $input reason (hold, cancel).
	 * @return array<string, mixed>|\WP_Error What the core answered, with `message` for the notice.
	 */
	public function run( string $action, int $wc_order_id, array $input = array() ) {
		if ( ! in_array( $action, self::ACTIONS, true ) ) {
			return new \WP_Error( 'expedio_unknown_action', __( 'Unknown Expedio action.', 'expedio' ), array( 'status' => 400 ) );
		}
		$summary = $this->find( $wc_order_id );
		if ( is_wp_error( $summary ) ) {
			return $summary;
		}
		if ( null === $summary ) {
			/* translators: %d: WooCommerce order number */
			return new \WP_Error( 'expedio_order_unknown', sprintf( __( 'Order #%d is not in Expedio yet.', 'expedio' ), $wc_order_id ), array( 'status' => 404 ) );
		}
		$id     = (string) $summary['id'];
		$path   = '/api/v1/orders/' . rawurlencode( $id );
		$reason = isset( $input['reason'] ) ? trim( sanitize_text_field( $input['reason'] ) ) : '';
		switch ( $action ) {
			case 'confirm':
			case 'partial':
				$result = $this->core->call( 'POST', $path . '/confirm', array(), array( 'partial' => 'partial' === $action ) );
				break;
			case 'hold':
				$result = $this->core->call( 'POST', $path . '/hold', array(), '' !== $reason ? array( 'reason' => $reason ) : array() );
				break;
			case 'cancel':
				$result = $this->core->call( 'POST', $path . '/cancel', array(), '' !== $reason ? array( 'reason' => $reason ) : array() );
				break;
			case 'invoice':
				$result = $this->core->call( 'POST', $path . '/invoice' );
				if ( is_array( $result ) ) {
					$this->remember_invoice( $wc_order_id, $result );
				}
				break;
			default:
				$result = $this->create_awb( $id, isset( $input['courier'] ) ? sanitize_key( $input['courier'] ) : '' );
		}
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		return array(
			'orderId' => $id,
			'result'  => $result,
			'message' => $this->done_message( $action, $wc_order_id, is_array( $result ) ? $result : array() ),
		);
	}

	/**
	 * The AWB of the order's packing list, with the courier of the cheapest quote unless the
	 * manager picked one (the core answers an existing live AWB instead of making a second).
	 *
	 * @return array<string, mixed>|\WP_Error The shipment.
	 */
	private function create_awb( string $order_id, string $courier ) {
		$lists = $this->core->call( 'GET', '/api/v1/packing-lists', array( 'orderId' => $order_id ) );
		if ( is_wp_error( $lists ) ) {
			return $lists;
		}
		$list = is_array( $lists['packingLists'] ?? null ) && isset( $lists['packingLists'][0]['id'] ) ? $lists['packingLists'][0] : null;
		if ( null === $list ) {
			return new \WP_Error( 'expedio_not_packed', __( 'The order has no packing list yet: the warehouse packs it first, then the AWB can be made.', 'expedio' ), array( 'status' => 409 ) );
		}
		$body = array();
		if ( '' === $courier ) {
			$quotes = $this->core->call( 'GET', '/api/v1/packing-lists/' . rawurlencode( (string) $list['id'] ) . '/quotes' );
			if ( is_wp_error( $quotes ) ) {
				return $quotes;
			}
			$best = is_array( $quotes['cheapest'] ?? null ) && isset( $quotes['cheapest'][0] ) && is_array( $quotes['cheapest'][0] ) ? $quotes['cheapest'][0] : null;
			if ( null !== $best && isset( $best['courier'] ) ) {
				$body['courier'] = (string) $best['courier'];
				if ( isset( $best['service'] ) ) {
					$body['service'] = (string) $best['service'];
				}
			}
		} else {
			$body['courier'] = $courier;
		}
		return $this->core->call( 'POST', '/api/v1/packing-lists/' . rawurlencode( (string) $list['id'] ) . '/awb', array(), $body );
	}

	/**
	 * Remembers the invoice on the WooCommerce order (the core lists invoices by period, not by
	 * order), so the box can link its PDF and read its e-Factura state.
	 *
	 * @param array<string, mixed> $result The core's answer to POST /orders/{id}/invoice:
	 *                                     { invoiceId, number, created, eInvoice, skipped? }.
	 */
	private function remember_invoice( int $wc_order_id, array $result ): void {
		$order = wc_get_order( $wc_order_id );
		if ( ! $order || empty( $result['invoiceId'] ) ) {
			return;
		}
		$order->update_meta_data(
			self::INVOICE_META,
			array(
				'id'     => (string) $result['invoiceId'],
				'number' => (string) ( $result['number'] ?? $result['invoiceId'] ),
			)
		);
		$order->save();
	}

	/**
	 * The invoice the plugin remembers, with its e-Factura state as the core has it now.
	 *
	 * @return array{id: string, number: string, eInvoice: string}|null
	 */
	private function invoice_of( int $wc_order_id ): ?array {
		$order  = wc_get_order( $wc_order_id );
		$stored = $order ? $order->get_meta( self::INVOICE_META ) : '';
		if ( ! is_array( $stored ) || empty( $stored['id'] ) ) {
			return null;
		}
		$view  = $this->core->call( 'GET', '/api/v1/invoices/' . rawurlencode( (string) $stored['id'] ) );
		$state = is_array( $view ) && is_array( $view['eInvoice'] ?? null ) ? (string) ( $view['eInvoice']['anafState'] ?? $view['eInvoice']['state'] ?? '' ) : '';
		return array(
			'id'       => (string) $stored['id'],
			'number'   => (string) ( $stored['number'] ?? '' ),
			'eInvoice' => '' !== $state ? $state : 'none',
		);
	}

	/**
	 * @param array<string, mixed> $result The core's answer.
	 */
	private function done_message( string $action, int $wc_order_id, array $result ): string {
		$status = isset( $result['status'] ) ? (string) $result['status'] : '';
		switch ( $action ) {
			case 'awb':
				/* translators: 1: order number, 2: AWB number, 3: courier */
				return sprintf( __( 'Order #%1$d: AWB %2$s (%3$s).', 'expedio' ), $wc_order_id, (string) ( $result['awb'] ?? '' ), (string) ( $result['courier'] ?? '' ) );
			case 'invoice':
				if ( empty( $result['invoiceId'] ) ) {
					/* translators: 1: order number, 2: why the core issued none */
					return sprintf( __( 'Order #%1$d: no invoice issued (%2$s).', 'expedio' ), $wc_order_id, (string) ( $result['skipped'] ?? '' ) );
				}
				/* translators: 1: order number, 2: invoice number */
				return sprintf( __( 'Order #%1$d: invoice %2$s issued.', 'expedio' ), $wc_order_id, (string) ( $result['number'] ?? '' ) );
			default:
				/* translators: 1: order number, 2: Expedio status */
				return sprintf( __( 'Order #%1$d is now %2$s in Expedio.', 'expedio' ), $wc_order_id, Order_Screen::status_label( $status ) );
		}
	}
}
