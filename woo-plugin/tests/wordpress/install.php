<?php
/**
 * Installs the scratch WordPress (child process of Expedio_Test_Site::create()), the way
 * wp-admin/install.php does: wp_install() with WP_INSTALLING, then pretty permalinks (the REST
 * API at /wp-json/), a classic theme for the storefront, the WooCommerce stand-in activated (its
 * activation creates WooCommerce's tables and the shop_manager role), and the Expedio plugin
 * listed as active without running its activation hook (the tests run it when they mean to).
 *
 * Usage: php install.php <wordpress dir> <home url> [link|no-plugin]
 *
 * @package Expedio
 */

[ , $wp_dir, $home_url ] = $argv;
$with_plugin              = 'no-plugin' !== ( $argv[3] ?? 'link' );
$parts                    = parse_url( $home_url );
$_SERVER['HTTP_HOST']     = $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
$_SERVER['SERVER_NAME']   = $parts['host'];
$_SERVER['REQUEST_URI']   = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';

define( 'WP_INSTALLING', true );
require $wp_dir . '/wp-config.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

// No sendmail here, and nobody to tell: the install mail is not sent.
add_filter( 'pre_wp_mail', '__return_false' );
$result = wp_install( 'Magazinul & Co', 'admin', 'admin@shop.test', false, '', 'admin-password' );
if ( is_wp_error( $result ) ) {
	fwrite( STDERR, $result->get_error_message() . "\n" );
	exit( 1 );
}
update_option( 'permalink_structure', '/%postname%/' );
update_option( 'WPLANG', '' );
switch_theme( 'twentytwentyone' );

$activated = activate_plugin( 'woocommerce/woocommerce.php' );
if ( is_wp_error( $activated ) ) {
	fwrite( STDERR, 'WooCommerce stand-in: ' . $activated->get_error_message() . "\n" );
	exit( 1 );
}
if ( $with_plugin ) {
	$active   = (array) get_option( 'active_plugins', array() );
	$active[] = 'expedio/expedio.php';
	update_option( 'active_plugins', array_values( array_unique( $active ) ) );
}
flush_rewrite_rules( false );
echo "installed\n";
