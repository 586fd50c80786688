/** @jsxImportSource preact */
// The storefront entry (one deferred IIFE): mount now, and again when the theme editor re-renders a section.
import { mount } from "./mount";
import "./widget.css";

if (document.readyState == "loading") document.addEventListener("DOMContentLoaded", mount);
else mount();
document.addEventListener("shopify:section:load", mount);
