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
		do_action( 'admin_menu' );

		$this->assertCount( 1, WP_Stubs::$submenus );
		$this->assertSame( 'woocommerce', WP_Stubs::$submenus[0]['parent_slug'] );
		$this->assertSame( 'Expedio', WP_Stubs::$submenus[0]['menu_title'] );
		$this->assertSame( 'manage_woocommerce', WP_Stubs::$submenus[0]['capability'] );
		$this->assertSame( 'expedio', WP_Stubs::$submenus[0]['menu_slug'] );
	}

	public function test_notices_are_hidden_from_users_who_cannot_manage_woocommerce(): void {
		$this->activate();
		WP_Stubs::$caps = array();

		$this->assertSame( '', $this->rendered_notices() );
	}

	public function test_notice_text_is_escaped(): void {
		$this->plugin->notices->add( \Expedio\Notice_Key::CONNECT, 'error', 'Core said <script>alert(1)</script>' );

		$html = $this->rendered_notices();
		$this->assertStringNotContainsString( '<script>', $html );
		$this->assertStringContainsString( '&lt;script&gt;', $html );
	}
}
