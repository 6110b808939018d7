<?php
/**
 * WooCommerce → Expedio: settings form, connect button, script enqueue.
 *
 * @package Expedio
 */

/**
 * The admin page and its form handlers.
 */
final class AdminPageTest extends Expedio_Test_Case {

	private function post( string $action, array $fields, ?string $nonce = null ): void {
		$_POST    = array_merge( array( 'action' => $action, '_wpnonce' => $nonce ?? wp_create_nonce( $action ) ), $fields );
		$_REQUEST = $_POST;
		do_action( 'admin_post_' . $action );
	}

	private function render_page(): string {
		ob_start();
		try {
			$this->plugin->admin_page->render();
		} finally {
			$html = (string) ob_get_clean();
		}
		return $html;
	}

	public function test_saving_settings_with_a_bad_nonce_is_refused_and_changes_nothing(): void {
		$this->configure();

		try {
			$this->post( 'expedio_save_settings', array( 'core_url' => 'http://evil.test', 'channel_id' => 'x', 'api_key' => 'stolen' ), 'forged-nonce' );
			$this->fail( 'the request should have ended' );
		} catch ( Expedio_Test_Die $e ) {
			$this->assertSame( 403, $e->status );
		}

		$this->assertSame( self::CORE_URL, get_option( 'expedio_core_url' ) );
		$this->assertSame( self::CHANNEL_ID, get_option( 'expedio_channel_id' ) );
		$this->assertSame( self::API_KEY, get_option( 'expedio_api_key' ) );
	}

	public function test_a_nonce_made_for_another_action_or_user_is_refused(): void {
		$this->expectException( Expedio_Test_Die::class );
		$this->post( 'expedio_save_settings', array( 'core_url' => 'http://evil.test' ), wp_create_nonce( 'expedio_connect' ) );
	}

	public function test_saving_settings_needs_manage_woocommerce_even_with_a_valid_nonce(): void {
		$this->log_in( 'subscriber' );

		try {
			$this->post( 'expedio_save_settings', array( 'core_url' => 'http://127.0.0.1:3000', 'channel_id' => 'x', 'api_key' => 'k' ) );
			$this->fail( 'the request should have ended' );
		} catch ( Expedio_Test_Die $e ) {
			$this->assertSame( 403, $e->status );
		}
		$this->assertFalse( get_option( 'expedio_core_url' ) );
	}

	public function test_saving_settings_stores_them_and_an_empty_key_field_keeps_the_stored_key(): void {
		try {
			$this->post( 'expedio_save_settings', array( 'core_url' => ' http://127.0.0.1:3000/ ', 'channel_id' => 'ch_woo_1', 'api_key' => self::API_KEY ) );
		} catch ( Expedio_Test_Redirect $e ) {
			$this->assertSame( 'http://shop.test/wp-admin/admin.php?page=expedio', $e->getMessage() );
		}
		$this->assertSame( 'http://127.0.0.1:3000', get_option( 'expedio_core_url' ) );
		$this->assertSame( 'ch_woo_1', get_option( 'expedio_channel_id' ) );
		$this->assertSame( self::API_KEY, get_option( 'expedio_api_key' ) );

		try {
			$this->post( 'expedio_save_settings', array( 'core_url' => 'http://127.0.0.1:3001', 'channel_id' => 'ch_woo_1', 'api_key' => '' ) );
		} catch ( Expedio_Test_Redirect $e ) {
			$this->assertNotNull( $this->redirect );
		}
		$this->assertSame( 'http://127.0.0.1:3001', get_option( 'expedio_core_url' ) );
		$this->assertSame( self::API_KEY, get_option( 'expedio_api_key' ) );
	}

	public function test_invalid_settings_are_not_stored_and_the_merchant_is_told_why(): void {
		try {
			$this->post( 'expedio_save_settings', array( 'core_url' => 'javascript:alert(1)', 'channel_id' => '../admin', 'api_key' => '' ) );
		} catch ( Expedio_Test_Redirect $e ) {
			$this->assertNotNull( $this->redirect );
		}

		$this->assertFalse( get_option( 'expedio_core_url' ) );
		$this->assertFalse( get_option( 'expedio_channel_id' ) );
		$html = $this->rendered_notices();
		$this->assertStringContainsString( 'The core URL must be an http(s) address', $html );
		$this->assertStringContainsString( 'The channel id must be', $html );
		$this->assertStringContainsString( 'Enter the API key', $html );
	}

	public function test_the_api_key_is_masked_when_the_page_is_rendered(): void {
		$this->configure();

		$html = $this->render_page();

		$this->assertStringNotContainsString( self::API_KEY, $html );
		$this->assertStringNotContainsString( substr( self::API_KEY, 0, 12 ), $html );
		$this->assertStringContainsString( '••••••••3210', $html );
		$this->assertMatchesRegularExpression( '/<input type="password"[^>]*name="api_key" value=""/', $html );
		$this->assertStringContainsString( 'value="http://127.0.0.1:3000"', $html );
		$this->assertStringContainsString( 'name="_wpnonce" value="' . wp_create_nonce( 'expedio_save_settings' ) . '"', $html );
		$this->assertStringContainsString( 'name="_wpnonce" value="' . wp_create_nonce( 'expedio_connect' ) . '"', $html );
		$this->assertStringContainsString( '<div id="expedio-admin-root"></div>', $html );
	}

	public function test_a_short_api_key_is_fully_hidden(): void {
		update_option( 'expedio_api_key', 'short123' );

		$this->assertSame( '••••••••', $this->plugin->settings->masked_api_key() );
		$this->assertStringNotContainsString( 'short123', $this->render_page() );
	}

	public function test_stored_values_are_escaped_in_the_form(): void {
		update_option( 'expedio_core_url', 'http://127.0.0.1:3000/"><script>x</script>' );

		$html = $this->render_page();

		$this->assertStringNotContainsString( '"><script>', $html );
	}

	public function test_the_page_refuses_users_who_cannot_manage_woocommerce(): void {
		$this->log_in( 'customer' );
		$this->expectException( Expedio_Test_Die::class );
		$this->render_page();
	}

	public function test_connect_webhooks_button_connects_with_a_valid_nonce(): void {
		$this->configure();

		try {
			$this->post( 'expedio_connect', array() );
		} catch ( Expedio_Test_Redirect $e ) {
			$this->assertNotNull( $this->redirect );
		}

		$this->assertCount( 2, $this->webhooks() );
		$this->assertStringContainsString( '<code>order.created</code> — active', $this->render_page() );
	}

	public function test_connect_webhooks_refuses_a_bad_nonce(): void {
		$this->configure();
		try {
			$this->post( 'expedio_connect', array(), 'nope' );
			$this->fail( 'the request should have ended' );
		} catch ( Expedio_Test_Die $e ) {
			$this->assertSame( 403, $e->status );
		}
		$this->assertSame( array(), $this->webhooks() );
		$this->assertSame( array(), $this->core_requests );
	}

	public function test_the_page_loads_the_built_script_with_its_asset_dependencies_and_a_rest_nonce(): void {
		// A plugin copy with a built bundle, inside wp-content/plugins/ like any installed plugin.
		$dir = WP_PLUGIN_DIR . '/expedio-build-' . uniqid();
		mkdir( $dir . '/build', 0777, true );
		file_put_contents( $dir . '/build/admin.asset.php', "<?php return array('dependencies' => array('wp-api-fetch', 'wp-components', 'wp-element'), 'version' => 'abc123');" );
		try {
			$this->make_plugin( $dir . '/expedio.php' );
			do_action( 'admin_menu' );

			set_current_screen( 'dashboard' );
			do_action( 'admin_enqueue_scripts', 'index.php' );
			$this->assertArrayNotHasKey( 'expedio-admin', wp_scripts()->registered, 'other admin pages do not load the bundle' );

			set_current_screen( 'woocommerce_page_expedio' );
			do_action( 'admin_enqueue_scripts', 'woocommerce_page_expedio' );

			$script = wp_scripts()->registered['expedio-admin'];
			$this->assertSame( 'http://shop.test/wp-content/plugins/' . basename( $dir ) . '/build/admin.js', $script->src );
			$this->assertSame( array( 'wp-api-fetch', 'wp-components', 'wp-element' ), $script->deps );
			$this->assertSame( 'abc123', $script->ver );
			$this->assertSame( 1, $script->extra['group'], 'in the footer' );
			$this->assertContains( 'expedio-admin', wp_scripts()->queue );
			$this->assertContains( 'wp-components', wp_styles()->queue );
			$inline = wp_scripts()->get_data( 'expedio-admin', 'before' )[1];
			$this->assertStringStartsWith( 'window.expedioAdmin = ', $inline );
			$data = json_decode( substr( $inline, strlen( 'window.expedioAdmin = ' ), -1 ), true );
			$this->assertSame( 'http://shop.test/wp-json/', $data['restRoot'] );
			$this->assertSame( wp_create_nonce( 'wp_rest' ), $data['nonce'] );
			$this->assertFalse( $data['configured'] );
			$this->assertStringNotContainsString( 'api', strtolower( implode( ',', array_keys( $data ) ) ) );
		} finally {
			unlink( $dir . '/build/admin.asset.php' );
			rmdir( $dir . '/build' );
			rmdir( $dir );
		}
	}
}
