<?php
/**
 * Who may use the plugin: the one capability every screen, notice, form post and REST route
 * checks, and the nonce check that goes with a form post.
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * Store managers run Expedio; checking one capability everywhere keeps the settings page, the
 * notices and the order list from disagreeing about who may see them.
 */
final class Access {

	public const CAPABILITY = 'manage_woocommerce';

	public static function allowed(): bool {
		return current_user_can( self::CAPABILITY );
	}

	/**
	 * Ends the request with a 403 for anyone else.
	 */
	public static function require_manager(): void {
		if ( ! self::allowed() ) {
			wp_die( esc_html__( 'You are not allowed to manage Expedio.', 'expedio' ), '', array( 'response' => 403 ) );
		}
	}

	/**
	 * For an admin-post handler: the capability first, then the form's nonce.
	 * check_admin_referer() ends the request on a missing or wrong nonce, so a forged
	 * cross-site form post changes nothing.
	 *
	 * @param string $action The action the form's wp_nonce_field() was made for.
	 */
	public static function verify_form_post( string $action ): void {
		self::require_manager();
		check_admin_referer( $action );
	}
}
