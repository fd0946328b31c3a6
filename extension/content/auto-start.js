/* Last file of the registered content script for auto-analyse sites: analyse once on load. */
"use strict";
globalThis.SourcelightContent.analyse();
