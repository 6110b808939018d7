<?php
/**
 * "Connect to Expedio": the consent form, the trip to the core's consent page, the REST key the
 * plugin creates and hands over, and what is stored.
 *
 * @package Expedio
 */

/**
 * The connect flow's two admin-post handlers against the fake core.
 */
final class ConnectTest extends Expedio_Test_Case {

	private const CODE        = 'expc_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0';
	private const NEW_CHANNEL = '17';
	private const NEW_KEY     = 'exp_channel17key_abcdefghijklmnop';

	protected function setUp(): void {
		parent::setUp();
		$this->core_answers['POST /api/v1/installations/woocommerce']              = array(
			201,
			array(
				'channelId'         => self::NEW_CHANNEL,
				'apiKey'            => self::NEW_KEY,
				'created'           => true,
				'webhookUrl'        => '/webhooks/woocommerce/17',
				'catalogSyncQueued' => true,
			),
		);
		$this->core_answers[ 'PUT /api/v1/channels/' . self::NEW_CHANNEL . '/webhook-secret' ] = array( 204, '' );
	}

	/**
	 * Runs an admin-post handler; returns where it redirected.
	 *
	 * @param array<string, string> $get  Query parameters (the return trip is a GET).
	 * @param array<string, string> $post Form fields.
	 */
	private function admin_post( string $action, array $get = array(), array $post = array() ): string {
		$_GET     = $get;
		$_POST    = $post;
		$_REQUEST = array_merge( array( 'action' => $action ), $get, $post );
		try {
			do_action( 'admin_post_' . $action );
		} catch ( Expedio_Test_Redirect $e ) {
			return $e->getMessage();
		}
		$this->fail( 'the handler should have redirected' );
	}

	private function start( array $fields = array() ): string {
		return $this->admin_post(
			'expedio_connect_start',
			array(),
			array_merge(
				array(
					'_wpnonce' => wp_create_nonce( 'expedio_connect_start' ),
					'core_url' => self::CORE_URL,
					'consent'  => '1',
				),
				$fields
			)
		);
	}

	/**
	 * The browser coming back from the core with what the core appended to return_url.
	 *
	 * @param array<string, string> $from_core expedio_code / expedio_error and state.
	 */
	private function come_back( string $consent_url, array $from_core ): string {
		parse_str( (string) parse_url( $consent_url, PHP_URL_QUERY ), $query );
		parse_str( (string) parse_url( $query['return_url'], PHP_URL_QUERY ), $return );
		return $this->admin_post( 'expedio_connect_return', array_merge( $return, $from_core ) );
	}

	private function state_of( string $consent_url ): string {
		parse_str( (string) parse_url( $consent_url, PHP_URL_QUERY ), $query );
		return $query['state'];
	}

	/**
	 * @return array<int, array<string, mixed>>
	 */
	private function api_keys(): array {
		global $wpdb;
		$keys = array();
		foreach ( $wpdb->get_results( "SELECT * FROM {$wpdb->prefix}woocommerce_api_keys ORDER BY key_id", ARRAY_A ) as $row ) {
			$row['key_id']                 = (int) $row['key_id'];
			$row['user_id']                = (int) $row['user_id'];
			$keys[ (int) $row['key_id'] ] = $row;
		}
		return $keys;
	}

	public function test_connect_sends_the_browser_to_the_cores_consent_page_with_the_store_a_return_url_and_a_state(): void {
		$to = $this->start();

		$this->assertStringStartsWith( self::CORE_URL . '/warehouse/connect/woocommerce?', $to );
		parse_str( (string) parse_url( $to, PHP_URL_QUERY ), $query );
		$this->assertSame( 'http://shop.test', $query['store_url'] );
		$this->assertSame(
			'http://shop.test/wp-admin/admin-post.php?action=expedio_connect_return&_wpnonce=' . wp_create_nonce( 'expedio_connect_return' ),
			$query['return_url']
		);
		$this->assertMatchesRegularExpression( '/^[A-Za-z0-9]{32}$/', $query['state'] );
		$this->assertSame( self::CORE_URL, get_option( 'expedio_core_url' ) );
		$this->assertSame( array(), $this->api_keys(), 'no key before the core said yes' );
		$this->assertSame( array(), $this->core_requests );
	}

	public function test_without_the_consent_box_nothing_is_created_and_the_merchant_is_told_why(): void {
		$to = $this->start( array( 'consent' => '' ) );

		$this->assertSame( 'http://shop.test/wp-admin/admin.php?page=expedio', $to );
		$this->assertFalse( get_option( 'expedio_connect_state' ) );
		$this->assertStringContainsString( 'Tick the box to let the plugin create a WooCommerce REST API key', $this->rendered_notices() );
	}

	public function test_connect_needs_the_forms_nonce_and_manage_woocommerce(): void {
		try {
			$this->start( array( '_wpnonce' => 'forged' ) );
			$this->fail( 'the request should have ended' );
		} catch ( Expedio_Test_Die $e ) {
			$this->assertSame( 403, $e->status );
		}
		$this->log_in( 'subscriber' );
		try {
			$this->start();
			$this->fail( 'the request should have ended' );
		} catch ( Expedio_Test_Die $e ) {
			$this->assertSame( 403, $e->status );
		}
		$this->assertFalse( get_option( 'expedio_core_url' ) );
	}

	public function test_coming_back_with_a_code_creates_a_read_write_key_hands_it_to_the_core_and_stores_the_channel_and_its_key(): void {
		$consent           = $this->start();

		$to = $this->come_back( $consent, array( 'expedio_code' => self::CODE, 'state' => $this->state_of( $consent ) ) );

		$this->assertSame( 'http://shop.test/wp-admin/admin.php?page=expedio', $to );
		$install = $this->core_requests[0];
		$this->assertSame( 'POST', $install['method'] );
		$this->assertSame( '/api/v1/installations/woocommerce', $install['path'] );
		$this->assertSame( 'Bearer ' . self::CODE, $install['headers']['Authorization'] );
		$this->assertSame( 'http://shop.test', $install['body']['storeUrl'] );
		$this->assertSame( 'Magazinul & Co', $install['body']['storeName'] );
		$this->assertSame( 'read_write', $install['body']['keyPermissions'] );
		$this->assertMatchesRegularExpression( '/^ck_[0-9a-f]{40}$/', $install['body']['consumerKey'] );
		$this->assertMatchesRegularExpression( '/^cs_[0-9a-f]{40}$/', $install['body']['consumerSecret'] );

		// The key row as WC_Auth::create_keys() writes it: the consumer key only hashed.
		$keys = array_values( $this->api_keys() );
		$this->assertCount( 1, $keys );
		$this->assertSame( self::$users['manager'], $keys[0]['user_id'] );
		$this->assertSame( 'read_write', $keys[0]['permissions'] );
		$this->assertSame( wc_api_hash( $install['body']['consumerKey'] ), $keys[0]['consumer_key'] );
		$this->assertSame( $install['body']['consumerSecret'], $keys[0]['consumer_secret'] );
		$this->assertSame( substr( $install['body']['consumerKey'], -7 ), $keys[0]['truncated_key'] );
		$this->assertStringStartsWith( 'Expedio - API (', $keys[0]['description'] );

		$this->assertSame( self::NEW_CHANNEL, get_option( 'expedio_channel_id' ) );
		$this->assertSame( self::NEW_KEY, get_option( 'expedio_api_key' ) );
		$this->assertSame( $keys[0]['key_id'], get_option( 'expedio_rest_key_id' ) );

		// Then the webhooks, with the new key, to the new channel.
		$secret = $this->core_requests[1];
		$this->assertSame( 'PUT /api/v1/channels/17/webhook-secret', $secret['method'] . ' ' . $secret['path'] );
		$this->assertSame( 'Bearer ' . self::NEW_KEY, $secret['headers']['Authorization'] );
		$this->assertSame( array( 'http://127.0.0.1:3000/webhooks/woocommerce/17' ), array_values( array_unique( array_column( $this->webhooks(), 'delivery_url' ) ) ) );
		$this->assertStringContainsString( 'Connected to Expedio as channel 17', $this->rendered_notices() );
	}

	public function test_the_page_never_shows_the_api_key_or_the_rest_secret_after_connecting(): void {
		$consent = $this->start();
		$this->come_back( $consent, array( 'expedio_code' => self::CODE, 'state' => $this->state_of( $consent ) ) );
		$secret = $this->core_requests[0]['body']['consumerSecret'];

		ob_start();
		$this->plugin->admin_page->render();
		$html = (string) ob_get_clean();

		$this->assertStringNotContainsString( self::NEW_KEY, $html );
		$this->assertStringNotContainsString( $secret, $html );
		$this->assertStringContainsString( 'Connected to http://127.0.0.1:3000 as channel 17 (key ••••••••mnop)', $html );
		$this->assertStringContainsString( 'Reconnect to Expedio', $html );
	}

	public function test_a_refusal_by_the_core_deletes_the_new_key_keeps_the_settings_and_shows_the_cores_reason(): void {
		$this->configure();
		$this->core_answers['POST /api/v1/installations/woocommerce'] = array(
			400,
			array(
				'error' => array(
					'code'    => 'VALIDATION',
					'message' => 'The store refused the REST keys: WooCommerce store shop.test rejected the API keys (woocommerce_rest_authentication_error: Invalid signature - provided signature does not match.)',
					'details' => array( array( 'path' => 'consumerSecret', 'reason' => 'the store refused it' ) ),
				),
			),
		);
		$consent = $this->start();

		$this->come_back( $consent, array( 'expedio_code' => self::CODE, 'state' => $this->state_of( $consent ) ) );

		$this->assertSame( array(), $this->api_keys() );
		$this->assertSame( self::CHANNEL_ID, get_option( 'expedio_channel_id' ) );
		$this->assertSame( self::API_KEY, get_option( 'expedio_api_key' ) );
		$this->assertSame( array(), $this->webhooks() );
		$html = $this->rendered_notices();
		$this->assertStringContainsString( 'The store was not connected to Expedio. Expedio core (HTTP 400): The store refused the REST keys', $html );
		$this->assertStringContainsString( 'Invalid signature', $html );
	}

	public function test_reconnecting_deletes_the_key_of_the_previous_connection(): void {
		$first = $this->start();
		$this->come_back( $first, array( 'expedio_code' => self::CODE, 'state' => $this->state_of( $first ) ) );
		$old_id = get_option( 'expedio_rest_key_id' );

		$second = $this->start();
		$this->come_back( $second, array( 'expedio_code' => self::CODE, 'state' => $this->state_of( $second ) ) );

		$this->assertSame( array( get_option( 'expedio_rest_key_id' ) ), array_keys( $this->api_keys() ) );
		$this->assertNotSame( $old_id, get_option( 'expedio_rest_key_id' ) );
	}

	/**
	 * Ways the return trip is not the one this admin started.
	 *
	 * @return array<string, array{0: callable(string): array<string, string>}>
	 */
	public function foreign_returns(): array {
		return array(
			'another state'   => array( static fn( string $state ): array => array( 'expedio_code' => self::CODE, 'state' => strrev( $state ) ) ),
			'no state'        => array( static fn( string $state ): array => array( 'expedio_code' => self::CODE ) ),
			'a malformed code' => array( static fn( string $state ): array => array( 'expedio_code' => 'exp_<script>', 'state' => $state ) ),
		);
	}

	/**
	 * @dataProvider foreign_returns
	 *
	 * @param callable(string): array<string, string> $from_core What arrives instead of the core's answer.
	 */
	public function test_a_return_that_this_admin_did_not_start_creates_no_key_and_calls_no_core( callable $from_core ): void {
		$consent = $this->start();

		$this->come_back( $consent, $from_core( $this->state_of( $consent ) ) );

		$this->assertSame( array(), $this->api_keys() );
		$this->assertSame( array(), $this->core_requests );
		$this->assertStringContainsString( 'notice-error', $this->rendered_notices() );
	}

	public function test_the_return_belongs_to_the_admin_who_started_and_its_state_is_spent_once(): void {
		$consent = $this->start();
		$this->log_in( 'second_manager' );
		try {
			$this->come_back( $consent, array( 'expedio_code' => self::CODE, 'state' => $this->state_of( $consent ) ) );
			$this->fail( 'another admin cannot finish it: the return nonce is bound to the user who started' );
		} catch ( Expedio_Test_Die $e ) {
			$this->assertSame( 403, $e->status );
		}

		$this->log_in( 'manager' );
		$this->come_back( $consent, array( 'expedio_code' => self::CODE, 'state' => $this->state_of( $consent ) ) );
		$this->assertCount( 1, array_filter( $this->core_requests, static fn( $r ) => '/api/v1/installations/woocommerce' === $r['path'] ) );
		$this->come_back( $consent, array( 'expedio_code' => self::CODE, 'state' => $this->state_of( $consent ) ) );
		$this->assertCount( 1, array_filter( $this->core_requests, static fn( $r ) => '/api/v1/installations/woocommerce' === $r['path'] ), 'the state was spent' );
		$this->assertCount( 1, $this->api_keys() );
	}

	public function test_a_return_needs_the_return_nonce(): void {
		$consent = $this->start();
		$this->expectException( Expedio_Test_Die::class );
		$this->admin_post( 'expedio_connect_return', array( '_wpnonce' => 'forged', 'expedio_code' => self::CODE, 'state' => $this->state_of( $consent ) ) );
	}

	public function test_cancelling_on_the_expedio_page_changes_nothing(): void {
		$consent = $this->start();

		$this->come_back( $consent, array( 'expedio_error' => 'access_denied', 'state' => $this->state_of( $consent ) ) );

		$this->assertSame( array(), $this->api_keys() );
		$this->assertSame( array(), $this->core_requests );
		$this->assertStringContainsString( 'The connection was cancelled on the Expedio page', $this->rendered_notices() );
	}

	public function test_only_the_cores_host_is_added_to_the_redirect_hosts(): void {
		update_option( 'expedio_core_url', 'https://expedio.example:8443' );

		$this->assertSame( array( 'shop.test', 'expedio.example' ), apply_filters( 'allowed_redirect_hosts', array( 'shop.test' ), 'expedio.example' ) );
	}
}
