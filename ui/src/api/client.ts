// The GraphQL client: queries and mutations over HTTP POST, subscriptions over the
// graphql-transport-ws websocket. URLs are relative to the page's <base href>, which the
// webserver sets from --path-prefix.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";
import { createClient as createWsClient } from "graphql-ws";

export function basePath(): string {
  return new URL(document.baseURI).pathname.replace(/\/$/, "");
}

export function makeClient(): Client {
  const http = new URL("graphql", document.baseURI.endsWith("/") ? document.baseURI : document.baseURI + "/");
  const ws = new URL(http);
  ws.protocol = http.protocol === "https:" ? "wss:" : "ws:";
  const wsClient = createWsClient({ url: ws.toString(), lazy: true, retryAttempts: 5 });
  return new Client({
    url: http.toString(),
    requestPolicy: "cache-and-network",
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return {
            subscribe(sink) {
              const unsubscribe = wsClient.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}
