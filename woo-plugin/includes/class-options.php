<?php
/**
 * The WordPress options the plugin keeps, by name, and how they are read back.
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * Option names live here once, so the classes that read and write an option cannot drift apart.
 * (uninstall.php still lists them itself: WordPress runs it without loading the plugin.)
 */
final class Options {

	public const CORE_URL    = 'expedio_core_url';
	public const CHANNEL_ID  = 'expedio_channel_id';
	public const API_KEY     = 'expedio_api_key';
	public const WEBHOOK_IDS = 'expedio_webhook_ids';
	public const NOTICES     = 'expedio_notices';
	/** The connect attempt under way: its one-time state, who started it, until when. */
	public const CONNECT_STATE = 'expedio_connect_state';
	/** key_id (wp_woocommerce_api_keys) of the REST key the plugin created for the core. */
	public const REST_KEY_ID = 'expedio_rest_key_id';

	/**
	 * A text option; '' when it was never saved.
	 */
	public static function text( string $name ): string {
		return (string) get_option( $name, '' );
	}

	/**
	 * An array option; an empty array when it was never saved or holds something else
	 * (another plugin or a manual edit may have overwritten it).
	 *
	 * @return array<mixed>
	 */
	public static function map( string $name ): array {
		$value = get_option( $name, array() );
		return is_array( $value ) ? $value : array();
	}
}
