import { render } from "preact";
import { App } from "./app";
import { keepKey, keyFromFragment } from "./session";

const fromLink = keyFromFragment();
if (fromLink) keepKey(fromLink);
render(<App />, document.getElementById("app")!);
