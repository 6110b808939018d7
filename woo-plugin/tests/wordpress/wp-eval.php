<?php
/**
 * Runs the PHP code on stdin inside the site's WordPress, as the site's admin (child process of
 * Expedio_Test_Site::php(); test set-up only: users, orders, options).
 *
 * @package Expedio
 */

[ , $wp_dir, $home_url ] = $argv;
$code                     = (string) stream_get_contents( STDIN );
$parts                    = parse_url( $home_url );
$_SERVER['HTTP_HOST']     = $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
$_SERVER['REQUEST_URI']   = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
require $wp_dir . '/wp-config.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
wp_set_current_user( 1 );
eval( $code ); // phpcs:ignore Squiz.PHP.Eval.Discouraged -- test set-up code from the test itself.
