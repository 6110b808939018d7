<?php
/**
 * The plugin zip: built by one command, installed through WordPress's Upload Plugin, activated.
 *
 * @package Expedio
 */

/**
 * woo-plugin/scripts/package.mjs against a second, fresh WordPress where the plugin is not linked in.
 */
final class PackageTest extends Expedio_Test_Case {

	public function test_the_zip_installs_through_upload_plugin_and_activates_in_a_fresh_wordpress(): void {
		$out = sys_get_temp_dir() . '/expedio-zip-' . getmypid();
		// --no-build when a bundle is there already (the suite builds it before the PHP tests).
		$build = is_dir( dirname( __DIR__ ) . '/build' ) ? ' --no-build' : '';
		exec( 'node ' . escapeshellarg( dirname( __DIR__ ) . '/scripts/package.mjs' ) . ' --out ' . escapeshellarg( $out ) . $build . ' 2>&1', $lines, $status );
		$this->assertSame( 0, $status, implode( "\n", $lines ) );
		$zip = (string) end( $lines );
		$this->assertSame( $out . '/expedio-0.1.0.zip', $zip );

		exec( 'unzip -Z1 ' . escapeshellarg( $zip ), $entries );
		$this->assertContains( 'expedio/expedio.php', $entries );
		$this->assertContains( 'expedio/build/admin.js', $entries );
		$this->assertContains( 'expedio/languages/expedio-ro_RO.mo', $entries );
		foreach ( $entries as $entry ) {
			$this->assertDoesNotMatchRegularExpression( '#^expedio/(tests|src|scripts|node_modules|package\.json|tsconfig|phpunit)#', $entry );
		}

		$site = new Expedio_Test_Site( 'http://fresh.test', null, false );
		try {
			$site->create();
			$result = json_decode( $site->php( __DIR__ . '/wordpress/upload-plugin.php', array( $zip ) ), true );
		} finally {
			$site->destroy();
			exec( 'rm -rf ' . escapeshellarg( $out ) );
		}

		$this->assertTrue( $result['installed'], wp_json_encode( $result ) );
		$this->assertSame( 'expedio/expedio.php', $result['plugin'] );
		$this->assertTrue( $result['activated'], (string) $result['activated'] );
		$this->assertContains( 'expedio/expedio.php', $result['active'] );
		$this->assertSame( 'Expedio for WooCommerce', $result['name'] );
		$this->assertTrue( $result['hasPlugin'] );
		$this->assertStringContainsString( 'Orders are not sent to Expedio yet', $result['notices']['setup']['message'], 'activation ran the plugin\'s hook' );
		$this->assertNotContains( 'tests', $result['files'] );
	}

	public function test_romanian_translations_load_for_a_romanian_site(): void {
		add_filter( 'plugin_locale', static fn() => 'ro_RO' );
		unload_textdomain( 'expedio' );

		$this->plugin->load_textdomain();

		$this->assertSame( 'Confirmă', __( 'Confirm', 'expedio' ) );
		$this->assertSame( 'În așteptare', \Expedio\Order_Screen::status_label( 'on_hold' ) );
		$this->assertSame( 'Comanda #12: 3 etichete.', sprintf( _n( 'Order #%1$d: %2$d label.', 'Order #%1$d: %2$d labels.', 3, 'expedio' ), 12, 3 ) );
		unload_textdomain( 'expedio' );
		$this->assertSame( 'Confirm', __( 'Confirm', 'expedio' ) );
	}
}
