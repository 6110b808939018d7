<?php
/**
 * What Plugins → Add New → Upload Plugin does with a zip, then Activate: WordPress's own
 * Plugin_Upgrader::install() (unzip into wp-content/plugins/, checks the plugin header) and
 * activate_plugin() (loads the plugin in a sandbox and runs its activation hook), as the admin.
 * Prints JSON: what was installed, whether activation succeeded, what WordPress now lists.
 *
 * Usage: php upload-plugin.php <wordpress dir> <home url> <zip>
 *
 * @package Expedio
 */

[ , $wp_dir, $home_url, $zip ] = $argv;
$parts                          = parse_url( $home_url );
$_SERVER['HTTP_HOST']           = $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
$_SERVER['REQUEST_URI']         = '/wp-admin/update.php?action=upload-plugin';
$_SERVER['SERVER_PROTOCOL']     = 'HTTP/1.1';
define( 'WP_ADMIN', true );
require $wp_dir . '/wp-config.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';

wp_set_current_user( 1 );
WP_Filesystem();
$skin      = new WP_Ajax_Upgrader_Skin();
$upgrader  = new Plugin_Upgrader( $skin );
$installed = $upgrader->install( $zip );
$plugin    = $upgrader->plugin_info();
$activated = false === $plugin ? new WP_Error( 'not_installed', implode( ' ', $skin->get_error_messages() ) ) : activate_plugin( $plugin );
wp_cache_flush();
echo wp_json_encode(
	array(
		'installed'  => true === $installed,
		'errors'     => $skin->get_error_messages(),
		'plugin'     => $plugin,
		'activated'  => true === is_null( $activated ) ? true : ( is_wp_error( $activated ) ? $activated->get_error_message() : $activated ),
		'active'     => get_option( 'active_plugins' ),
		'name'       => false === $plugin ? null : get_plugin_data( WP_PLUGIN_DIR . '/' . $plugin, false, false )['Name'],
		'hasPlugin'  => class_exists( '\Expedio\Plugin' ),
		'notices'    => get_option( 'expedio_notices' ),
		'files'      => array_values( array_diff( scandir( WP_PLUGIN_DIR . '/expedio' ), array( '.', '..' ) ) ),
	)
);
