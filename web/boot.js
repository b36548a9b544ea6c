// Starts the app. A file of its own (not an inline script): the Content Security Policy
// allows scripts from our origin only.
import init from "/madoguchi_web.js";
init().catch((error) => {
  const splash = document.getElementById("splash");
  if (splash) {
    splash.querySelector("p").textContent =
      "窓口を読み込めませんでした。ページを再読み込みしてください。 / Madoguchi could not load; please reload the page.";
  }
  console.error(error);
});
