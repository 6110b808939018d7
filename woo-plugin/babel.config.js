/**
 * wp-scripts' own Babel preset, with one change: JSX compiles to the classic runtime
 * (`React.createElement`, with `import * as React from '@wordpress/element'` in each file) instead of
 * `react/jsx-runtime`. The automatic runtime makes the bundle depend on the `react-jsx-runtime`
 * script handle, which WordPress registers only from 6.6; WordPress 6.1 (Debian 12) has
 * `wp-element` but not that handle, so such a bundle never loads there.
 * test/woo-admin/asset-deps.test.ts checks the built dependencies against WordPress 6.1's handles.
 */
const { dirname } = require('node:path');

const scripts = dirname(require.resolve('@wordpress/scripts/package.json'));
const preset = require.resolve('@wordpress/babel-preset-default', { paths: [scripts] });
const reactJsx = require.resolve('@babel/plugin-transform-react-jsx', { paths: [dirname(preset)] });

module.exports = (api) => {
  api.cache(true);
  return {
    presets: [preset],
    // Plugins run before presets: every JSX element is gone before the preset's automatic runtime sees the file.
    plugins: [[reactJsx, { runtime: 'classic', pragma: 'React.createElement', pragmaFrag: 'React.Fragment' }]],
  };
};
