<?php
/**
 * The events that leave an admin notice.
 *
 * @package Expedio
 */

namespace Expedio;

defined( 'ABSPATH' ) || exit;

/**
 * One key per event, so a repeated event replaces its notice; the value is the key stored in
 * the notices option.
 */
enum Notice_Key: string {
	case SETUP            = 'setup';
	case CONNECT          = 'connect';
	case WEBHOOK_DISABLED = 'webhook_disabled';
	case SETTINGS         = 'settings';
	case ORDER_ACTION     = 'order_action';
}
