<?php
/**
 * The test WordPress from the command line, for the Chromium tests (test/woo-plugin/):
 *   php site.php up <home url>      creates and installs a site, prints its description (JSON)
 *   php site.php down <json>        removes the site that `up` described
 *   php site.php eval <json>        runs the PHP code on stdin inside that site's WordPress
 *   php site.php router             prints the path of the router for `php -S`
 *
 * @package Expedio
 */

require_once __DIR__ . '/class-test-site.php';

$command = $argv[1] ?? '';
if ( 'up' === $command ) {
	$site = new Expedio_Test_Site( $argv[2] );
	$site->create();
	echo json_encode( $site->describe() ), "\n";
} elseif ( 'down' === $command ) {
	Expedio_Test_Site::from( json_decode( $argv[2], true ) )->destroy();
} elseif ( 'eval' === $command ) {
	$described = json_decode( $argv[2], true );
	echo Expedio_Test_Site::from( $described )->php( __DIR__ . '/wp-eval.php' );
} elseif ( 'router' === $command ) {
	echo __DIR__ . '/router.php', "\n";
} else {
	fwrite( STDERR, "usage: php site.php up <home url> | down <json> | eval <json> < code.php\n" );
	exit( 2 );
}
