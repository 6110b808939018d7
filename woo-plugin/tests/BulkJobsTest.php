<?php
/**
 * Bulk actions on the orders list: the job, one order per REST call, the label batch.
 *
 * @package Expedio
 */

/**
 * Bulk_Jobs through WordPress's REST server.
 */
final class BulkJobsTest extends Expedio_Test_Case {

	/**
	 * @return array{0: string, 1: int[]} The job id and the WooCommerce order ids.
	 */
	private function start( string $bulk_action, int $orders, string $status = 'processing', array|Closure $with = array() ): array {
		$this->configure();
		$ids = array();
		for ( $i = 0; $i < $orders; $i++ ) {
			$order = expedio_test_create_order();
			$ids[] = $order->get_id();
			$this->core_has_order( $order->get_id(), $status, is_callable( $with ) ? $with( $order->get_id() ) : $with );
		}
		$redirect = apply_filters( 'handle_bulk_actions-woocommerce_page_wc-orders', 'http://shop.test/wp-admin/admin.php?page=wc-orders', $bulk_action, $ids );
		parse_str( (string) wp_parse_url( $redirect, PHP_URL_QUERY ), $query );
		$this->assertSame( 'wc-orders', $query['page'] );
		return array( $query['expedio_job'], $ids );
	}

	/**
	 * Calls /next until the job is done, as the notice's script does.
	 *
	 * @return array<int, array<string, mixed>> Every answer.
	 */
	private function run_to_the_end( string $job ): array {
		$answers = array();
		for ( $i = 0; $i < 50; $i++ ) {
			$response = $this->rest( 'POST', '/expedio/v1/jobs/' . $job . '/next' );
			$this->assertSame( 200, $response->get_status() );
			$answers[] = $response->get_data();
			if ( 'done' === end( $answers )['status'] ) {
				return $answers;
			}
		}
		$this->fail( 'the job never finished' );
	}

	public function test_both_order_lists_offer_the_four_bulk_actions_to_store_managers_only(): void {
		$expected = array( 'mark_processing', 'expedio_confirm', 'expedio_awb', 'expedio_labels', 'expedio_invoice' );

		$this->assertSame( $expected, array_keys( apply_filters( 'bulk_actions-woocommerce_page_wc-orders', array( 'mark_processing' => 'Change status to processing' ) ) ) );
		$this->assertSame( $expected, array_keys( apply_filters( 'bulk_actions-edit-shop_order', array( 'mark_processing' => 'Change status to processing' ) ) ) );
		$this->log_in( 'customer' );
		$this->assertSame( array( 'mark_processing' ), array_keys( apply_filters( 'bulk_actions-edit-shop_order', array( 'mark_processing' => 'x' ) ) ) );
	}

	public function test_another_bulk_action_is_left_to_woocommerce(): void {
		$this->assertSame( 'http://shop.test/back', apply_filters( 'handle_bulk_actions-edit-shop_order', 'http://shop.test/back', 'mark_completed', array( 1, 2 ) ) );
	}

	public function test_confirming_five_orders_runs_one_order_per_step_and_reports_progress_and_failures(): void {
		[ $job, $ids ] = $this->start( 'expedio_confirm', 5 );
		foreach ( $ids as $i => $wc_id ) {
			$this->core_answers[ 'POST /api/v1/orders/ord_' . $wc_id . '/confirm' ] = 3 === $i
				? array( 409, array( 'error' => array( 'code' => 'CONFLICT', 'message' => 'Not enough stock for SKU-1.', 'details' => null ) ) )
				: array( 200, array( 'orderId' => 'ord_' . $wc_id, 'status' => 'confirmed' ) );
		}
		$this->assertSame( array( 'status' => 'running', 'total' => 5, 'done' => 0 ), array_intersect_key( $this->rest( 'GET', '/expedio/v1/jobs/' . $job )->get_data(), array_flip( array( 'status', 'total', 'done' ) ) ) );

		$answers = $this->run_to_the_end( $job );

		$this->assertSame( array( 1, 2, 3, 4, 5 ), array_column( $answers, 'done' ) );
		$last = end( $answers );
		$this->assertCount( 4, $last['ok'] );
		$this->assertSame( array( array( 'order' => $ids[3], 'message' => 'Expedio core (HTTP 409): Not enough stock for SKU-1.' ) ), $last['failed'] );
		foreach ( $ids as $wc_id ) {
			$this->assertCount( 1, $this->core_calls( 'POST', '/api/v1/orders/ord_' . $wc_id . '/confirm' ) );
		}
		$this->rest( 'POST', '/expedio/v1/jobs/' . $job . '/next' );
		$this->assertCount( 5, array_filter( $this->core_requests, static fn( $r ) => str_ends_with( $r['path'], '/confirm' ) ), 'a finished job does nothing more' );
	}

	public function test_creating_awbs_for_five_orders_takes_each_orders_cheapest_quote(): void {
		[ $job, $ids ] = $this->start( 'expedio_awb', 5, 'packed', static fn( int $wc_id ) => array( 'packingLists' => array( array( 'id' => 'pl_' . $wc_id ) ) ) );
		foreach ( $ids as $wc_id ) {
			$this->core_answers[ 'GET /api/v1/packing-lists/pl_' . $wc_id . '/quotes' ] = array( 200, array( 'cheapest' => array( array( 'courier' => 'sameday', 'service' => '24h' ) ) ) );
			$this->core_answers[ 'POST /api/v1/packing-lists/pl_' . $wc_id . '/awb' ]   = array( 201, array( 'id' => 'shp_' . $wc_id, 'awb' => 'AWB' . $wc_id, 'courier' => 'sameday' ) );
		}

		$last = current( array_slice( $this->run_to_the_end( $job ), -1 ) );

		$this->assertSame( array(), $last['failed'] );
		$this->assertSame( 'Order #' . $ids[4] . ': AWB AWB' . $ids[4] . ' (sameday).', $last['ok'][4]['message'] );
		foreach ( $ids as $wc_id ) {
			$this->assertSame( array( 'courier' => 'sameday', 'service' => '24h' ), $this->core_calls( 'POST', '/api/v1/packing-lists/pl_' . $wc_id . '/awb' )[0]['body'] );
		}
	}

	public function test_printing_labels_collects_the_live_awbs_then_follows_the_cores_label_batch_to_its_pdf(): void {
		[ $job, $ids ] = $this->start(
			'expedio_labels',
			3,
			'shipping',
			static fn( int $wc_id ) => array(
				'shipments' => array(
					array( 'id' => 'shp_' . $wc_id, 'awb' => 'AWB' . $wc_id, 'courier' => 'sameday', 'status' => 'created' ),
					array( 'id' => 'old_' . $wc_id, 'awb' => 'OLD' . $wc_id, 'courier' => 'sameday', 'status' => 'cancelled' ),
				),
			)
		);
		$this->core_shipments[ 'ord_' . $ids[2] ] = array();
		$polls                                    = 0;
		$this->core_answers['POST /api/v1/label-batches']     = array( 202, array( 'id' => 'lb_1', 'status' => 'pending', 'done' => 0, 'total' => 2 ) );
		$this->core_answers['GET /api/v1/label-batches/lb_1'] = function () use ( &$polls ) {
			++$polls;
			return array( 200, array( 'id' => 'lb_1', 'status' => $polls < 2 ? 'running' : 'done', 'done' => $polls < 2 ? 1 : 2, 'total' => 2 ) );
		};

		$answers = $this->run_to_the_end( $job );

		$this->assertSame( array( 'shipmentIds' => array( 'shp_' . $ids[0], 'shp_' . $ids[1] ), 'format' => 'A6' ), $this->core_calls( 'POST', '/api/v1/label-batches' )[0]['body'] );
		$this->assertContains( 'printing', array_column( $answers, 'status' ) );
		$last = end( $answers );
		$this->assertSame( array( array( 'order' => $ids[2], 'message' => 'Order #' . $ids[2] . ' has no AWB yet.' ) ), $last['failed'] );
		$this->assertStringStartsWith( 'http://shop.test/wp-admin/admin-post.php?action=expedio_pdf&kind=batch&id=lb_1&_wpnonce=', html_entity_decode( $last['pdfUrl'] ) );
	}

	public function test_a_job_belongs_to_the_manager_who_started_it_and_customers_cannot_reach_it(): void {
		[ $job ] = $this->start( 'expedio_confirm', 1 );

		$this->log_in( 'second_manager' );
		$this->assertSame( 404, $this->rest( 'POST', '/expedio/v1/jobs/' . $job . '/next' )->get_status() );
		$this->log_in( 'customer' );
		$this->assertSame( 403, $this->rest( 'POST', '/expedio/v1/jobs/' . $job . '/next' )->get_status() );
		$this->assertSame( 403, $this->rest( 'GET', '/expedio/v1/jobs/' . $job )->get_status() );
		$this->assertSame( array(), $this->core_calls( 'POST', '/api/v1/orders/ord_1/confirm' ) );
		$this->assertSame( 404, $this->rest( 'POST', '/expedio/v1/jobs/NOT-A-JOB/next' )->get_status() );
	}

	public function test_the_list_shows_the_jobs_progress_notice_with_a_rest_nonce_and_loads_its_script(): void {
		[ $job ] = $this->start( 'expedio_awb', 2, 'packed' );
		$_GET    = array( 'page' => 'wc-orders', 'expedio_job' => $job );

		$html = $this->rendered_notices();

		$this->assertStringContainsString( 'id="expedio-job" data-job="' . $job . '"', $html );
		$this->assertStringContainsString( 'data-rest="http://shop.test/wp-json/expedio/v1/jobs/' . $job . '"', $html );
		$this->assertStringContainsString( 'data-nonce="' . wp_create_nonce( 'wp_rest' ) . '"', $html );
		$this->assertStringContainsString( 'Creating AWBs', $html );
		$this->assertStringContainsString( '<progress max="2" value="0">', $html );
		$this->assertStringNotContainsString( self::API_KEY, $html );
		$this->assertContains( 'expedio-bulk-progress', wp_scripts()->queue );
		$this->assertSame( 'http://shop.test/wp-content/plugins/expedio/assets/bulk-progress.js', wp_scripts()->registered['expedio-bulk-progress']->src );

		$this->log_in( 'second_manager' );
		$this->assertStringNotContainsString( 'expedio-job', $this->rendered_notices() );
	}
}
