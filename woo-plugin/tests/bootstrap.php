<?php
/**
 * PHPUnit bootstrap: loads the WordPress/WooCommerce stand-ins (stubs/), then the plugin's
 * main file exactly as WordPress would include it.
 *
 * @package Expedio
 */

define( 'ABSPATH', __DIR__ . '/' );

require_once __DIR__ . '/stubs/wordpress.php';
require_once __DIR__ . '/stubs/features-util.php';
require_once dirname( __DIR__ ) . '/expedio.php';
require_once __DIR__ . '/class-expedio-test-case.php';
