<?php
/**
 * Deleting the plugin removes its webhooks and options; deactivating only pauses them.
 *
 * @package Expedio
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

$expedio_ids = get_option( 'expedio_webhook_ids', array() );
if ( is_array( $expedio_ids ) && function_exists( 'wc_get_webhook' ) ) {
	foreach ( $expedio_ids as $expedio_id ) {
		try {
			$expedio_webhook = wc_get_webhook( (int) $expedio_id );
			if ( $expedio_webhook ) {
				$expedio_webhook->delete( true );
			}
		} catch ( \Exception $e ) {
			// Already gone; nothing to delete.
			continue;
		}
	}
}

// The REST key the plugin created for the core (Connect::create_key()).
$expedio_key_id = (int) get_option( 'expedio_rest_key_id', 0 );
if ( $expedio_key_id > 0 && isset( $GLOBALS['wpdb'] ) ) {
	$GLOBALS['wpdb']->delete( $GLOBALS['wpdb']->prefix . 'woocommerce_api_keys', array( 'key_id' => $expedio_key_id ), array( '%d' ) );
}

foreach ( array( 'expedio_core_url', 'expedio_channel_id', 'expedio_api_key', 'expedio_webhook_ids', 'expedio_notices', 'expedio_connect_state', 'expedio_rest_key_id' ) as $expedio_option ) {
	delete_option( $expedio_option );
}
