import { useEffect } from 'react';
import { Links, Meta, Outlet, Scripts, ScrollRestoration } from 'react-router';

export default function App() {
  // Marks the document once React has taken over the server's HTML: typing before that is lost
  // when hydration resets controlled fields (browser tests wait for it before they type).
  useEffect(() => {
    document.documentElement.dataset['hydrated'] = 'true';
  }, []);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        {/* No favicon inside the admin frame; this stops the browser asking the router for one. */}
        <link rel="icon" href="data:," />
        {/* App Bridge lifts <ui-nav-menu> into the admin's sidebar; until it has (or when its CDN
            is unreachable) the raw links would show at the top of the page. */}
        <style>{'ui-nav-menu { display: none; }'}</style>
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <link rel="stylesheet" href="https://cdn.shopify.com/static/fonts/inter/v4/styles.css" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
