<?php
/**
 * Router for `php -S 127.0.0.1:<port> -t <wordpress dir> router.php`: files and directories are
 * served as they are (PHP runs .php files, a directory its index.php); every other path is a
 * pretty permalink and goes to WordPress's index.php, as Apache's rewrite rule does.
 *
 * @package Expedio
 */

$path = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
if ( '/' !== $path && file_exists( $_SERVER['DOCUMENT_ROOT'] . $path ) ) {
	return false;
}
$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . '/index.php';
$_SERVER['PHP_SELF']        = '/index.php';
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
