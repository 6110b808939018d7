<?php
/**
 * GET /wp-json/expedio/v1/orders.
 *
 * @package Expedio
 */

/**
 * The REST route the admin page reads orders through.
 */
final class RestOrdersTest extends Expedio_Test_Case {

	/**
	 * The route's answer: the response on success, the WP_Error the route returned otherwise (its
	 * status in the error data, as the REST server sends it).
	 *
	 * @param array<string, string> $params Query parameters.
	 * @return WP_REST_Response|WP_Error
	 */
	private function rest_result( string $route, array $params ) {
		$response = $this->rest( 'GET', $route, $params );
		return $response->is_error() ? $response->as_error() : $response;
	}

	private const ORDER = array(
		'id'               => 'ord_1',
		'channelId'        => 'ch_woo_1',
		'externalOrderId'  => '727',
		'externalNumber'   => '727',
		'status'           => 'confirmed',
		'statusCode'       => 3,
		'approvalStatus'   => 'approved',
		'paymentStatus'    => 'paid',
		'holdReason'       => null,
		'total'            => '149.90',
		'currency'         => 'RON',
		'clientName'       => 'Ana Popescu',
		'createdAt'        => '2026-11-20T09:15:00.000Z',
	);

	public function test_the_route_is_a_get_with_a_permission_callback(): void {
		$route = rest_get_server()->get_routes( 'expedio/v1' )['/expedio/v1/orders'][0];
		$this->assertSame( array( 'GET' => true ), $route['methods'] );
		$this->assertIsCallable( $route['permission_callback'] );
		$this->assertSame( array( 'limit', 'cursor', 'externalOrderId', 'status' ), array_keys( $route['args'] ) );
	}

	public function test_a_user_without_manage_woocommerce_is_refused_and_the_core_is_not_called(): void {
		$this->configure();
		$this->log_in( 'customer' );

		$response = $this->rest( 'GET', '/expedio/v1/orders' );

		$this->assertSame( 403, $response->get_status() );
		$this->assertSame( 'rest_forbidden', $response->as_error()->get_error_code() );
		$this->log_in( 'subscriber' );
		$this->assertSame( 403, $this->rest( 'GET', '/expedio/v1/orders' )->get_status() );
		$this->assertSame( array(), $this->core_requests );
	}

	public function test_the_route_forwards_to_the_core_with_the_bearer_key_and_returns_its_orders(): void {
		$this->configure();
		$this->core_answers['GET /api/v1/orders'] = array(
			200,
			array(
				'orders'     => array( self::ORDER ),
				'nextCursor' => 'eyJpZCI6Im9yZF8xIn0',
			),
		);

		$result = $this->rest_result( '/expedio/v1/orders', array( 'limit' => '10', 'cursor' => 'abc=', 'status' => 'confirmed' ) );

		$this->assertInstanceOf( WP_REST_Response::class, $result );
		$this->assertSame( 200, $result->get_status() );
		$this->assertSame( array( 'orders' => array( self::ORDER ), 'nextCursor' => 'eyJpZCI6Im9yZF8xIn0' ), $result->get_data() );

		$this->assertCount( 1, $this->core_requests );
		$request = $this->core_requests[0];
		$this->assertSame( 'GET', $request['method'] );
		$this->assertSame( '/api/v1/orders', $request['path'] );
		$this->assertSame( array( 'channelId' => 'ch_woo_1', 'limit' => '10', 'cursor' => 'abc=', 'status' => 'confirmed' ), $request['query'] );
		$this->assertSame( 'Bearer ' . self::API_KEY, $request['headers']['Authorization'] );
		$this->assertSame( 0, $request['args']['redirection'], 'the key is never sent on to a redirect target' );
	}

	public function test_the_last_page_has_a_null_cursor_and_empty_filters_are_not_sent(): void {
		$this->configure();
		$this->core_answers['GET /api/v1/orders'] = array( 200, array( 'orders' => array(), 'nextCursor' => null ) );

		$result = $this->rest_result( '/expedio/v1/orders', array() );

		$this->assertSame( array( 'orders' => array(), 'nextCursor' => null ), $result->get_data() );
		$this->assertSame( array( 'channelId' => 'ch_woo_1', 'limit' => '25' ), $this->core_requests[0]['query'] );
	}

	public function test_arguments_are_sanitized_before_they_reach_the_core(): void {
		$this->configure();
		$this->core_answers['GET /api/v1/orders'] = array( 200, array( 'orders' => array(), 'nextCursor' => null ) );

		$this->rest_result( '/expedio/v1/orders', array( 'limit' => '10', 'cursor' => "<b>c1</b>\n", 'status' => 'On_Hold"&x' ) );

		$this->assertSame( array( 'channelId' => 'ch_woo_1', 'limit' => '10', 'cursor' => 'c1', 'status' => 'on_holdx' ), $this->core_requests[0]['query'] );
	}

	public function test_a_limit_outside_1_to_100_is_a_400_and_the_core_is_not_called(): void {
		$this->configure();

		foreach ( array( '5000', '0', 'ten' ) as $limit ) {
			$result = $this->rest_result( '/expedio/v1/orders', array( 'limit' => $limit ) );
			$this->assertSame( 'rest_invalid_param', $result->get_error_code(), 'limit=' . $limit );
		}
		$this->assertSame( array(), $this->core_requests );
	}

	public function test_a_core_error_becomes_a_502_wp_error_carrying_the_core_message(): void {
		$this->configure();
		$this->core_answers['GET /api/v1/orders'] = array(
			400,
			array( 'error' => array( 'code' => 'VALIDATION', 'message' => 'Cursor "abc" is not a cursor this API issued.', 'details' => array( 'field' => 'cursor' ) ) ),
		);

		$result = $this->rest_result( '/expedio/v1/orders', array( 'cursor' => 'abc' ) );

		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'expedio_core_error', $result->get_error_code() );
		$this->assertStringContainsString( 'Cursor "abc" is not a cursor this API issued.', $result->get_error_message() );
		$this->assertSame( 502, $result->get_error_data()['status'] );
		$this->assertSame( 400, $result->get_error_data()['core_status'] );
		$this->assertSame( 'VALIDATION', $result->get_error_data()['core_code'] );
	}

	public function test_a_core_error_without_a_json_body_still_says_what_happened(): void {
		$this->configure();
		$this->core_answers['GET /api/v1/orders'] = array( 503, 'Service Unavailable' );

		$result = $this->rest_result( '/expedio/v1/orders', array() );

		$this->assertSame( 502, $result->get_error_data()['status'] );
		$this->assertSame( 'Expedio core (HTTP 503): the core answered HTTP 503 without an error message.', $result->get_error_message() );
	}

	public function test_an_unreachable_core_becomes_a_502_wp_error(): void {
		$this->configure();
		$this->core_answers['GET /api/v1/orders'] = array( 0, new WP_Error( 'http_request_failed', 'cURL error 28: Operation timed out' ) );

		$result = $this->rest_result( '/expedio/v1/orders', array() );

		$this->assertSame( 'expedio_core_unreachable', $result->get_error_code() );
		$this->assertSame( 502, $result->get_error_data()['status'] );
		$this->assertStringContainsString( 'cURL error 28: Operation timed out', $result->get_error_message() );
	}

	public function test_a_success_without_an_orders_array_is_a_502(): void {
		$this->configure();
		$this->core_answers['GET /api/v1/orders'] = array( 200, '<html>proxy login</html>' );

		$result = $this->rest_result( '/expedio/v1/orders', array() );

		$this->assertSame( 'expedio_core_bad_response', $result->get_error_code() );
		$this->assertSame( 502, $result->get_error_data()['status'] );
	}

	public function test_an_unconfigured_plugin_says_what_to_set_up_without_calling_anything(): void {
		$result = $this->rest_result( '/expedio/v1/orders', array() );

		$this->assertSame( 'expedio_not_configured', $result->get_error_code() );
		$this->assertStringContainsString( 'WooCommerce → Expedio', $result->get_error_message() );
		$this->assertSame( array(), $this->core_requests );
	}
}
