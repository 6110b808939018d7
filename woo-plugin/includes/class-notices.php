<?php
/**
 * Admin notices that must survive a redirect or happen outside an admin page view
 * (activation, admin-post handlers, a webhook disabled during a cron run).
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * Keyed notices stored in one option. A key holds at most one notice, so repeating an event
 * (the same webhook failing again) replaces its notice instead of stacking copies.
 */
final class Notices {

	/**
	 * Records a notice.
	 *
	 * @param Notice_Key $key           The event the notice is about.
	 * @param string     $type          error | warning | success | info.
	 * @param string     $message       Plain text; escaped when rendered.
	 * @param bool       $link_settings Whether to add a link to the Expedio settings page.
	 * @param bool       $once          Remove the notice after it has been shown once.
	 */
	public function add( Notice_Key $key, string $type, string $message, bool $link_settings = false, bool $once = false ): void {
		$notices                = $this->all();
		$notices[ $key->value ] = array(
			'type'          => $type,
			'message'       => $message,
			'link_settings' => $link_settings,
			'once'          => $once,
		);
		update_option( Options::NOTICES, $notices, false );
	}

	public function remove( Notice_Key $key ): void {
		$notices = $this->all();
		if ( isset( $notices[ $key->value ] ) ) {
			unset( $notices[ $key->value ] );
			update_option( Options::NOTICES, $notices, false );
		}
	}

	/**
	 * @return array<string, array{type: string, message: string, link_settings: bool, once: bool}>
	 */
	public function all(): array {
		return Options::map( Options::NOTICES );
	}

	/**
	 * Prints the stored notices (admin_notices hook). Only store managers see them: they are
	 * the ones who can act on them, and the messages may mention the core's address.
	 */
	public function render(): void {
		if ( ! Access::allowed() ) {
			return;
		}
		$notices = $this->all();
		foreach ( $notices as $key => $notice ) {
			$type = in_array( $notice['type'], array( 'error', 'warning', 'success', 'info' ), true ) ? $notice['type'] : 'info';
			echo '<div class="notice notice-' . esc_attr( $type ) . '"><p><strong>Expedio:</strong> ' . esc_html( $notice['message'] );
			if ( ! empty( $notice['link_settings'] ) ) {
				echo ' <a href="' . esc_url( Admin_Page::url() ) . '">' . esc_html__( 'Open Expedio settings', 'expedio' ) . '</a>';
			}
			echo '</p></div>';
			if ( ! empty( $notice['once'] ) ) {
				unset( $notices[ $key ] );
			}
		}
		if ( count( $notices ) !== count( $this->all() ) ) {
			update_option( Options::NOTICES, $notices, false );
		}
	}
}
