<?php
/**
 * Stand-in for WooCommerce's FeaturesUtil (see ../bootstrap.php).
 *
 * @package Expedio
 */

namespace Automattic\WooCommerce\Utilities;

/**
 * Records declare_compatibility() calls.
 */
class FeaturesUtil {
	/** @var array<int, array{feature: string, file: string, positive: bool}> */
	public static array $declarations = array();

	public static function declare_compatibility( string $feature_id, string $plugin_file, bool $positive_compatibility = true ): bool {
		self::$declarations[] = array(
			'feature'  => $feature_id,
			'file'     => $plugin_file,
			'positive' => $positive_compatibility,
		);
		return true;
	}
}
