// Boots GraphiQL against this gateway. Paste a token in the Headers tab (see the README).
"use strict";
const fetcher = GraphiQL.createFetcher({ url: "/graphql" });
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultEditorToolsVisibility: "headers",
    defaultHeaders: '{"Authorization": "Bearer paste-a-token-here"}',
    defaultQuery: "{ me { username roles tenants } }\n",
  }),
);
