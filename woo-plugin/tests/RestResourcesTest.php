<?php
/**
 * /wp-json/expedio/v1/...: the admin app's routes, forwarded to the core from a closed list.
 *
 * @package Expedio
 */

/**
 * Rest_Resources in the real WordPress (its REST server) with the fake core.
 */
final class RestResourcesTest extends Expedio_Test_Case {

	/**
	 * @param array<string, mixed> $body JSON body.
	 */
	private function call( string $method, string $route, array $query = array(), ?array $body = null ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $route );
		$request->set_query_params( $query );
		if ( null !== $body ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( wp_json_encode( $body ) );
		}
		return rest_do_request( $request );
	}

	public function test_a_read_is_forwarded_with_the_key_and_the_channel_and_answered_as_the_core_answers(): void {
		$this->configure();
		$this->core_answers['GET /api/v1/orders/12/returnable'] = array( 200, array( 'orderStatus' => 'delivered', 'lines' => array() ) );

		$response = $this->call( 'GET', '/expedio/v1/orders/12/returnable', array( '_wpnonce' => 'x' ) );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( array( 'orderStatus' => 'delivered', 'lines' => array() ), $response->get_data() );
		$sent = $this->core_calls( 'GET', '/api/v1/orders/12/returnable' );
		$this->assertCount( 1, $sent );
		$this->assertSame( 'Bearer ' . self::API_KEY, $sent[0]['headers']['Authorization'] );
		$this->assertSame( array( 'channelId' => self::CHANNEL_ID ), $sent[0]['query'], 'WordPress\'s own parameters stay in WordPress' );
	}

	public function test_starting_a_return_posts_the_json_body_to_the_core(): void {
		$this->configure();
		$this->core_answers['POST /api/v1/returns'] = array( 201, array( 'id' => '7', 'status' => 'requested' ) );
		$body = array( 'orderId' => '12', 'type' => 'partially', 'lines' => array( array( 'orderLineNo' => 1, 'quantity' => 1, 'reason' => 'Broken' ) ), 'reason' => 'Broken' );

		$response = $this->call( 'POST', '/expedio/v1/returns', array(), $body );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( array( 'id' => '7', 'status' => 'requested' ), $response->get_data() );
		$this->assertSame( $body, $this->core_calls( 'POST', '/api/v1/returns' )[0]['body'] );
	}

	public function test_the_settings_are_the_channels_settings_in_the_core(): void {
		$this->configure();
		$this->core_answers[ 'PATCH /api/v1/channels/' . self::CHANNEL_ID . '/settings' ] = array( 200, array( 'autoConfirm' => true ) );

		$response = $this->call( 'PATCH', '/expedio/v1/settings', array(), array( 'autoConfirm' => true ) );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( array( 'autoConfirm' => true ), $this->core_calls( 'PATCH', '/api/v1/channels/' . self::CHANNEL_ID . '/settings' )[0]['body'] );
	}

	public function test_a_call_the_screens_do_not_make_is_a_404_and_reaches_no_core(): void {
		$this->configure();

		foreach ( array( array( 'POST', '/expedio/v1/settings' ), array( 'POST', '/expedio/v1/shipments/5/cod-settlement' ), array( 'GET', '/expedio/v1/orders/abc/returnable' ), array( 'PATCH', '/expedio/v1/returns' ) ) as [ $method, $route ] ) {
			$response = $this->call( $method, $route, array(), array() );
			$this->assertContains( $response->get_status(), array( 404 ), "$method $route" );
		}
		$this->assertSame( array(), $this->core_requests );
	}

	public function test_a_user_without_manage_woocommerce_is_refused_and_the_core_is_not_called(): void {
		$this->configure();
		foreach ( array( 'customer', 'subscriber' ) as $who ) {
			$this->log_in( $who );
			$this->assertSame( 403, $this->call( 'GET', '/expedio/v1/stalls' )->get_status() );
			$this->assertSame( 403, $this->call( 'POST', '/expedio/v1/returns', array(), array( 'orderId' => '1' ) )->get_status() );
		}
		$this->assertSame( array(), $this->core_requests );
	}

	public function test_a_cookie_request_with_a_forged_nonce_is_refused_and_one_without_counts_as_logged_out(): void {
		$this->configure();
		// What WordPress's REST server does first for a cookie-authenticated request
		// (rest_cookie_check_errors): a wrong wp_rest nonce refuses the request outright; no nonce
		// resets the user to nobody before the route's permission check runs.
		$GLOBALS['wp_rest_auth_cookie'] = true;
		$_REQUEST['_wpnonce']           = 'forged';
		try {
			$refused = rest_cookie_check_errors( null );
			$this->assertSame( 'rest_cookie_invalid_nonce', $refused->get_error_code() );
			$this->assertSame( 403, $refused->get_error_data()['status'] );
			unset( $_REQUEST['_wpnonce'] );
			$this->assertTrue( rest_cookie_check_errors( null ) );
			$this->assertSame( 0, get_current_user_id() );
			$this->assertSame( 401, $this->call( 'GET', '/expedio/v1/stalls' )->get_status() );
		} finally {
			unset( $GLOBALS['wp_rest_auth_cookie'], $_REQUEST['_wpnonce'] );
		}
		$this->assertSame( array(), $this->core_requests );
	}

	public function test_a_pdf_is_streamed_as_the_cores_bytes(): void {
		$this->configure();
		$this->core_answers['GET /api/v1/label-batches/3/pdf'] = array( 200, '%PDF-1.7 five labels' );

		$response = $this->call( 'GET', '/expedio/v1/label-batches/3/pdf' );
		$this->assertSame( 'application/pdf', $response->get_headers()['Content-Type'] );
		ob_start();
		$served = $this->plugin->rest_resources->serve_pdf( false, $response, new WP_REST_Request( 'GET', '/expedio/v1/label-batches/3/pdf' ), rest_get_server() );
		$bytes  = (string) ob_get_clean();

		$this->assertTrue( $served );
		$this->assertSame( '%PDF-1.7 five labels', $bytes );
	}
}
