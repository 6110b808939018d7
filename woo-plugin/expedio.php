<?php
/**
 * Plugin Name:          Expedio for WooCommerce
 * Description:          Sends your WooCommerce orders to Expedio for picking, packing, shipping and invoicing, and shows their fulfilment status.
 * Version:              0.1.0
 * Requires at least:    6.1
 * Requires PHP:         8.1
 * Requires Plugins:     woocommerce
 * WC requires at least: 8.2
 * Author:               Expedio
 * License:              GPL-2.0-or-later
 * Text Domain:          expedio
 *
 * @package Expedio
 */

defined( 'ABSPATH' ) || exit;

// "Requires at least: 6.1": WordPress refuses to activate a plugin whose header asks for a newer
// version, and Debian's WordPress (the one the tests run in) is 6.1. The admin bundle therefore
// must not depend on the `react-jsx-runtime` script handle, which WordPress registers from 6.6 on.
define( 'EXPEDIO_VERSION', '0.1.0' );
define( 'EXPEDIO_PLUGIN_FILE', __FILE__ );

require_once __DIR__ . '/includes/class-options.php';
require_once __DIR__ . '/includes/class-access.php';
require_once __DIR__ . '/includes/class-settings.php';
require_once __DIR__ . '/includes/class-notice-key.php';
require_once __DIR__ . '/includes/class-notices.php';
require_once __DIR__ . '/includes/class-core-client.php';
require_once __DIR__ . '/includes/class-webhooks.php';
require_once __DIR__ . '/includes/class-rest-orders.php';
require_once __DIR__ . '/includes/class-rest-resources.php';
require_once __DIR__ . '/includes/class-admin-page.php';
require_once __DIR__ . '/includes/class-connect.php';
require_once __DIR__ . '/includes/class-order-card.php';
require_once __DIR__ . '/includes/class-order-screen.php';
require_once __DIR__ . '/includes/class-bulk-jobs.php';
require_once __DIR__ . '/includes/class-customer-tracking.php';
require_once __DIR__ . '/includes/class-plugin.php';

\Expedio\Plugin::instance( __FILE__ )->register_hooks();
