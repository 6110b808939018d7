<?php
/**
 * Plugin wiring: HPOS declaration and the admin menu.
 *
 * @package Expedio
 */

use Automattic\WooCommerce\Utilities\FeaturesUtil;

/**
 * Hooks registered by the main plugin file.
 */
final class PluginTest extends Expedio_Test_Case {

	public function test_hpos_compatibility_is_declared_for_the_main_plugin_file_on_before_woocommerce_init(): void {
		$this->assertSame( array(), FeaturesUtil::$declarations, 'nothing is declared before WooCommerce asks' );

		do_action( 'before_woocommerce_init' );

		$this->assertContains(
			array(
				'feature'  => 'custom_order_tables',
				'file'     => EXPEDIO_PLUGIN_FILE,
				'positive' => true,
			),
			FeaturesUtil::$declarations
		);
		$this->assertStringEndsWith( '/woo-plugin/expedio.php', EXPEDIO_PLUGIN_FILE );
	}

	public function test_the_expedio_page_is_under_woocommerce_for_store_managers_only(): void {
		global $submenu;
		do_action( 'admin_menu' );

		$ours = array_values( array_filter( $submenu['woocommerce'] ?? array(), static fn( $item ) => 'expedio' === $item[2] ) );
		$this->assertCount( 1, $ours );
		$this->assertSame( 'Expedio', $ours[0][0] );
		$this->assertSame( 'manage_woocommerce', $ours[0][1] );
		$this->assertSame( 'woocommerce_page_expedio', get_plugin_page_hookname( 'expedio', 'woocommerce' ) );
		$this->assertTrue( current_user_can( 'manage_woocommerce' ), 'a shop manager has the capability' );
		$this->log_in( 'customer' );
		$this->assertFalse( current_user_can( 'manage_woocommerce' ), 'a customer does not' );
	}

	public function test_notices_are_hidden_from_users_who_cannot_manage_woocommerce(): void {
		$this->activate();
		$this->assertNotSame( '', $this->rendered_notices(), 'the manager sees the set-up notice' );
		$this->log_in( 'subscriber' );

		$this->assertSame( '', $this->rendered_notices() );
	}

	public function test_the_plugin_is_active_in_wordpress_and_activation_runs_through_wordpress(): void {
		$this->assertTrue( is_plugin_active( 'expedio/expedio.php' ) );
		$this->assertTrue( is_plugin_active( 'woocommerce/woocommerce.php' ) );
		$this->assertSame( 'expedio/expedio.php', plugin_basename( EXPEDIO_PLUGIN_FILE ) );
		$this->assertSame( 'Expedio for WooCommerce', get_plugin_data( EXPEDIO_PLUGIN_FILE, false, false )['Name'] );
		$this->assertTrue( validate_plugin_requirements( 'expedio/expedio.php' ), 'the header asks for no newer WordPress or PHP than this one' );
	}

	public function test_notice_text_is_escaped(): void {
		$this->plugin->notices->add( \Expedio\Notice_Key::CONNECT, 'error', 'Core said <script>alert(1)</script>' );

		$html = $this->rendered_notices();
		$this->assertStringNotContainsString( '<script>', $html );
		$this->assertStringContainsString( '&lt;script&gt;', $html );
	}
}
