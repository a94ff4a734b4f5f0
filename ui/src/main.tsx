import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { Provider } from "urql";
import { makeClient, basePath } from "./api/client";
import { prefetchAssetGraph } from "./api/hooks";
import { App } from "./App";
import "./styles.css";

const client = makeClient();
prefetchAssetGraph(client);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Provider value={client}>
      <BrowserRouter basename={basePath() || "/"}>
        <App />
      </BrowserRouter>
    </Provider>
  </StrictMode>,
);
