import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { setNonce } from 'get-nonce';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'urql';
import { App } from './App.tsx';
import { client } from './graphql/client.ts';
import './styles.css';
import { cssVariablesResolver, theme } from './theme.ts';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// The page's Content-Security-Policy admits only <style> elements with this page's nonce, which
// the server puts into index.html (Vite's html.cspNonce meta). Mantine writes its CSS variables
// and a few rules into such elements, and its modals' scroll lock (react-remove-scroll) one more,
// which takes its nonce from get-nonce.
const styleNonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';
setNonce(styleNonce);

createRoot(container).render(
  <StrictMode>
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      defaultColorScheme="auto"
      getStyleNonce={() => styleNonce}
    >
      <Provider value={client}>
        <App />
      </Provider>
    </MantineProvider>
  </StrictMode>,
);
