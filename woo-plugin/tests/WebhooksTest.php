<?php
/**
 * Activation, "Connect webhooks", deactivation and WooCommerce disabling a webhook.
 *
 * @package Expedio
 */

/**
 * The order webhooks' lifecycle.
 */
final class WebhooksTest extends Expedio_Test_Case {

	public function test_activation_creates_two_active_webhooks_to_the_core_with_one_secret_that_is_registered_with_the_core(): void {
		$this->configure();

		$this->activate();

		$webhooks = array_values( $this->webhooks() );
		$this->assertCount( 2, $webhooks );
		$this->assertEqualsCanonicalizing( array( 'order.created', 'order.updated' ), array_column( $webhooks, 'topic' ) );
		foreach ( $webhooks as $webhook ) {
			$this->assertSame( 'active', $webhook['status'] );
			$this->assertSame( 'http://127.0.0.1:3000/webhooks/woocommerce/ch_woo_1', $webhook['delivery_url'] );
			$this->assertSame( 'wp_api_v3', $webhook['api_version'] );
			$this->assertSame( self::$users['manager'], $webhook['user_id'] );
			$this->assertStringStartsWith( 'Expedio: ', $webhook['name'] );
		}
		$secret = $webhooks[0]['secret'];
		$this->assertSame( 50, strlen( $secret ) );
		$this->assertSame( $secret, $webhooks[1]['secret'] );

		$this->assertCount( 1, $this->core_requests );
		$request = $this->core_requests[0];
		$this->assertSame( 'PUT', $request['method'] );
		$this->assertSame( '/api/v1/channels/ch_woo_1/webhook-secret', $request['path'] );
		$this->assertSame( 'Bearer ' . self::API_KEY, $request['headers']['Authorization'] );
		$this->assertSame( 'application/json', $request['headers']['Content-Type'] );
		$this->assertSame( array( 'secret' => $secret ), $request['body'] );

		$ids = get_option( 'expedio_webhook_ids' );
		$this->assertSame( array_keys( $this->webhooks() ), array_values( $ids ) );
	}

	public function test_a_second_activation_updates_the_same_webhooks_with_a_new_secret_instead_of_adding_more(): void {
		$this->configure();
		$this->activate();
		$first_ids    = array_keys( $this->webhooks() );
		$first_secret = $this->webhooks()[ $first_ids[0] ]['secret'];

		$this->deactivate();
		$this->activate();

		$this->assertSame( $first_ids, array_keys( $this->webhooks() ) );
		$secrets = array_unique( array_column( $this->webhooks(), 'secret' ) );
		$this->assertCount( 1, $secrets );
		$this->assertNotSame( $first_secret, $secrets[0] );
		$this->assertSame( array( 'secret' => $secrets[0] ), end( $this->core_requests )['body'] );
		$this->assertSame( array( 'active', 'active' ), array_column( $this->webhooks(), 'status' ) );
	}

	public function test_a_secret_that_woocommerce_would_entity_decode_before_signing_is_not_used(): void {
		$this->configure();
		$decodable       = str_pad( 'a&lt;b', 50, 'x' );
		$plain           = str_pad( 'c&<"d', 50, 'y' );
		$this->passwords = array( $decodable, $plain );

		$this->activate();

		$this->assertSame( array( $plain, $plain ), array_column( $this->webhooks(), 'secret' ) );
		$this->assertSame( array( 'secret' => $plain ), $this->core_requests[0]['body'] );
	}

	public function test_deactivation_pauses_our_webhooks_and_leaves_other_webhooks_alone(): void {
		$this->configure();
		$foreign = new WC_Webhook();
		$foreign->set_topic( 'order.created' );
		$foreign->set_status( 'active' );
		$foreign->save();
		$this->activate();

		$this->deactivate();

		$ours = array_intersect_key( $this->webhooks(), array_flip( get_option( 'expedio_webhook_ids' ) ) );
		$this->assertCount( 2, $ours );
		$this->assertSame( array( 'paused', 'paused' ), array_column( $ours, 'status' ) );
		$this->assertSame( 'active', $this->webhooks()[ $foreign->get_id() ]['status'] );
	}

	public function test_activation_without_settings_creates_nothing_and_leaves_a_notice_linking_to_the_settings_page(): void {
		$this->activate();

		$this->assertSame( array(), $this->webhooks() );
		$this->assertSame( array(), $this->core_requests );
		$html = $this->rendered_notices();
		$this->assertStringContainsString( 'Orders are not sent to Expedio yet', $html );
		$this->assertStringContainsString( 'href="http://shop.test/wp-admin/admin.php?page=expedio"', $html );
	}

	public function test_the_setup_notice_stays_until_connecting_succeeds(): void {
		$this->activate();
		$this->rendered_notices();
		$this->assertStringContainsString( 'Orders are not sent to Expedio yet', $this->rendered_notices() );

		$this->configure();
		$this->plugin->webhooks->connect();

		$html = $this->rendered_notices();
		$this->assertStringNotContainsString( 'Orders are not sent to Expedio yet', $html );
		$this->assertStringContainsString( 'Order webhooks are connected', $html );
		$this->assertStringNotContainsString( 'Order webhooks are connected', $this->rendered_notices(), 'a success notice is shown once' );
	}

	/**
	 * The fake core's answer to the webhook secret, and what the merchant must read about it.
	 *
	 * @return array<string, array{0: array{0: int, 1: mixed}, 1: string}>
	 */
	public function core_failures_on_connect(): array {
		return array(
			'the core refuses: its own message'    => array(
				array( 404, array( 'error' => array( 'code' => 'NOT_FOUND', 'message' => 'Channel ch_woo_1 was not found.', 'details' => null ) ) ),
				'Channel ch_woo_1 was not found.',
			),
			'the core is unreachable: its address' => array(
				array( 0, new WP_Error( 'http_request_failed', 'cURL error 7: Connection refused' ) ),
				'Could not reach the Expedio core at http://127.0.0.1:3000: cURL error 7: Connection refused',
			),
		);
	}

	/**
	 * @dataProvider core_failures_on_connect
	 *
	 * @param array{0: int, 1: mixed} $answer  Status and body (or transport error) of the core.
	 * @param string                  $message What the error notice must say.
	 */
	public function test_a_core_that_fails_the_secret_registration_gets_no_webhooks_and_the_merchant_sees_why( array $answer, string $message ): void {
		$this->configure();
		$this->core_answers['PUT /api/v1/channels/ch_woo_1/webhook-secret'] = $answer;

		$this->activate();

		$this->assertSame( array(), $this->webhooks() );
		$html = $this->rendered_notices();
		$this->assertStringContainsString( 'notice-error', $html );
		$this->assertStringContainsString( $message, $html );
	}

	public function test_a_refused_reconnect_keeps_the_secret_the_core_already_knows(): void {
		$this->configure();
		$this->activate();
		$working = array_column( $this->webhooks(), 'secret' );

		$this->core_answers['PUT /api/v1/channels/ch_woo_1/webhook-secret'] = array( 401, array( 'error' => array( 'code' => 'UNAUTHORIZED', 'message' => 'The API key is not valid.', 'details' => null ) ) );
		$this->assertFalse( $this->plugin->webhooks->connect() );

		$this->assertSame( $working, array_column( $this->webhooks(), 'secret' ) );
		$this->assertStringContainsString( 'The API key is not valid.', $this->rendered_notices() );
	}

	public function test_a_webhook_deleted_in_woocommerce_is_recreated_and_the_other_is_kept(): void {
		$this->configure();
		$this->activate();
		$ids = get_option( 'expedio_webhook_ids' );
		wc_get_webhook( $ids['order.created'] )->delete( true );

		$this->plugin->webhooks->connect();

		$new_ids = get_option( 'expedio_webhook_ids' );
		$this->assertSame( $ids['order.updated'], $new_ids['order.updated'] );
		$this->assertNotSame( $ids['order.created'], $new_ids['order.created'] );
		$this->assertCount( 2, $this->webhooks() );
	}

	public function test_woocommerce_disabling_our_webhook_after_failures_tells_the_merchant(): void {
		$this->configure();
		$this->activate();
		$this->rendered_notices();
		$ids = get_option( 'expedio_webhook_ids' );

		do_action( 'woocommerce_webhook_disabled_due_delivery_failures', $ids['order.updated'] );

		$html = $this->rendered_notices();
		$this->assertStringContainsString( 'notice-warning', $html );
		$this->assertStringContainsString( 'order.updated', $html );
		$this->assertStringContainsString( 'Connect webhooks', $html );
		$this->assertStringContainsString( $html, $this->rendered_notices(), 'stays until reconnected' );

		$this->plugin->webhooks->connect();
		$this->assertStringNotContainsString( 'after repeated failed deliveries', $this->rendered_notices() );
	}

	public function test_another_plugins_disabled_webhook_is_not_our_business(): void {
		$this->configure();
		$this->activate();
		$this->rendered_notices();

		do_action( 'woocommerce_webhook_disabled_due_delivery_failures', 999 );

		$this->assertSame( '', $this->rendered_notices() );
	}

	public function test_woocommerce_may_deliver_to_the_local_core_but_not_to_other_private_hosts(): void {
		$this->configure();

		$this->assertTrue( apply_filters( 'http_request_host_is_external', false, '127.0.0.1', 'http://127.0.0.1:3000/webhooks/woocommerce/ch_woo_1' ) );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, '10.0.0.5', 'http://10.0.0.5/' ) );
		$this->assertContains( 3000, apply_filters( 'http_allowed_safe_ports', array( 80, 443, 8080 ), '127.0.0.1', 'http://127.0.0.1:3000/' ) );
		$this->assertSame( array( 80, 443, 8080 ), apply_filters( 'http_allowed_safe_ports', array( 80, 443, 8080 ), 'evil.test', 'http://evil.test:3000/' ) );
	}
}
