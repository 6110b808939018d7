<?php
/**
 * PHPUnit bootstrap: a real WordPress (Debian's package, a fresh MariaDB database for this run,
 * see wordpress/class-test-site.php) with the WooCommerce stand-in (woocommerce/woocommerce.php)
 * and this plugin active, loaded the way a request loads it: wp-config.php → wp-settings.php,
 * which includes the active plugins' main files.
 *
 * @package Expedio
 */

require_once __DIR__ . '/wordpress/class-test-site.php';

$expedio_site = new Expedio_Test_Site( 'http://shop.test' );
$expedio_site->create();
register_shutdown_function( array( $expedio_site, 'destroy' ) );

$_SERVER['HTTP_HOST']       = 'shop.test';
$_SERVER['SERVER_NAME']     = 'shop.test';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';

// WordPress is loaded in the global scope, as index.php does it (its files declare globals).
require $expedio_site->wp_dir . '/wp-config.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';

require_once __DIR__ . '/class-expedio-test-case.php';
Expedio_Test_Case::set_up_site();
