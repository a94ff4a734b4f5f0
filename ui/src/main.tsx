import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { Provider } from "urql";
import { makeClient, basePath } from "./api/client";
import { App } from "./App";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Provider value={makeClient()}>
      <BrowserRouter basename={basePath() || "/"}>
        <App />
      </BrowserRouter>
    </Provider>
  </StrictMode>,
);
