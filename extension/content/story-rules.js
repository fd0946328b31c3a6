/* What on an article page is not the story: the vocabulary and thresholds extract.js uses after
 * finding the article. Data only, so the rules can be read, tested and changed in one place
 * (docs/extension.md explains each). Class and id names are split into words ("EmailOptin",
 * "most-read_box" -> email optin / most read box); a vocabulary entry matches whole words, and
 * "most-read" matches the words "most read" in a row or the single word "mostread". */
"use strict";

(function defineStoryRules(global) {
  if (global.SourcelightStoryRules) return;

  global.SourcelightStoryRules = Object.freeze({
    // Class/id words of boxes that are not the story.
    boxWords: Object.freeze([
      // ads and sponsored slots
      "ad", "ads", "adslot", "ad-slot", "ad-unit", "ad-container", "ad-wrapper", "advert", "adverts",
      "advertisement", "advertising", "advertorial", "dfp", "gpt-ad", "teads", "inread", "outbrain", "taboola",
      "native-ad", "sponsor", "sponsored", "sponsors", "promoted", "paid-content", "paid-post",
      "partner-content", "branded-content", "dianomi", "zergnet", "revcontent",
      // share rows and social widgets
      "share", "shares", "sharing", "sharebar", "share-bar", "share-tools", "share-links", "sharedaddy",
      "addthis", "social", "social-links",
      // newsletter and subscription boxes
      "newsletter", "newsletters", "subscribe", "subscription", "signup", "sign-up", "optin", "opt-in",
      "email-signup", "paywall", "registration-wall",
      // related links, most read, more from
      "related", "most-read", "mostread", "most-popular", "most-viewed", "most-shared", "popular",
      "trending", "recommended", "recommendations", "recirc", "recirculation", "more-from", "more-stories",
      "read-next", "up-next", "also-read", "see-also", "rich-link", "story-interrupter",
      // comments and comment counts
      "comments", "comment-count", "comments-count", "commentcount", "disqus", "discussion",
      // hover-cards, pop-ups, menus, tags
      "hovercard", "hover-card", "tooltip", "popover", "popup", "modal", "flyout", "dropdown",
      "breadcrumb", "breadcrumbs", "pagination", "pager", "toolbar", "menu", "nav", "navbar",
      "skip-link", "tags", "tag-list", "topics", "keywords",
      // galleries and slideshows (their text is captions and counters)
      "gallery", "slideshow", "carousel", "lightbox",
    ]),
    // Class/id words of figure captions and photo credits (sent as `captions`, never as text).
    captionWords: Object.freeze(["caption", "captions", "figcaption", "wp-caption-text", "legend",
      "image-caption", "photo-caption", "media-caption", "credit", "credits", "photo-credit",
      "image-credit", "media-credit", "copyright", "attribution"]),
    // Which of those make a credit rather than a caption.
    creditWords: Object.freeze(["credit", "credits", "photo-credit", "image-credit", "media-credit",
      "copyright", "attribution"]),
    // Class/id words of the header area around the story: headline, kicker, standfirst, byline,
    // date, author box. Only for elements of at most metaMaxWords words.
    metaWords: Object.freeze(["byline", "bylines", "dateline", "timestamp", "publish-date", "pubdate",
      "post-meta", "article-meta", "story-meta", "kicker", "eyebrow", "dek", "standfirst", "author-bio",
      "about-author", "author-info", "authorbio", "author-card", "author", "authors", "bio", "reviewed-by",
      "sig-line"]),
    metaMaxWords: 80,
    substringMin: 7,
    // ...except inside these words: a subscriber-only part of the story is not a subscribe box.
    substringNot: Object.freeze(["subscriber", "unrelated", "unpopular"]),
    // A box holding a picture and at most this many words, with no paragraph, list or heading of
    // its own, is the picture's caption (also a one-item list right after a figure).
    mediaCaptionMaxWords: 60,
    // Class/id words of pull quotes: kept only when their words are not already in the story.
    pullQuoteWords: Object.freeze(["pullquote", "pull-quote", "pullout", "pull-out", "quote-box", "blockquote-pull"]),

    // Elements and ARIA roles that are never the story.
    boxTags: Object.freeze(["nav", "aside", "footer", "form", "menu", "dialog"]),
    boxRoles: Object.freeze(["navigation", "complementary", "banner", "contentinfo", "search", "tooltip",
      "dialog", "alertdialog", "menu", "menubar", "toolbar", "form"]),
    // aria-label (whole words, as for class names) of boxes that are not the story.
    boxLabelWords: Object.freeze(["advertisement", "advertising", "ad", "sponsored", "share", "sharing",
      "social", "related", "newsletter", "subscribe", "comments", "most-read", "popular", "trending",
      "recommended", "more-from", "breadcrumb", "navigation"]),
    // A box whose first words are one of these labels is an ad or sponsored slot.
    adLabel: /^(advertisement|advertising|ad|ads|sponsored|sponsored content|sponsored by\b.{0,60}|paid content|paid post|paid for by\b.{0,60}|promoted|promoted content|promoted stories|partner content|from our partners|presented by\b.{0,60})$/i,
    // Whole texts of lines that are page furniture, not story.
    boilerplate: Object.freeze([
      /^(advertisement|advertising|ad|sponsored|story continues below( this)?( advertisement)?|continue reading( the main story| below)?)$/i,
      /^(share|share this( story| article| page)?|share on \w+|copied!?|print|email|comments?|\d[\d,.]*k? comments?|(be the first to )?comment|reader comments.*)$/i,
      /^(sign up|subscribe( now)?|sign up for (our|the) .{0,60}newsletter.{0,40}|get .{0,60} in your inbox\.?)$/i,
      /^(image|photo|video|picture|view (this )?(image|photo|gallery|slideshow)\s*›?|enlarge this image|expand|(\d+ of \d+)|\d+ \/ \d+|(\d+ )?photos?)$/i,
      /^(related|related (coverage|articles|stories|content|links)|more (on|from|about) .{0,60}|most (read|popular|viewed|shared).{0,40}|read more|see also|recommended( for you)?|trending( now)?|you (may|might) also like)$/i,
      /^powered by\b.{0,60}$/i,
    ]),
    // A short line ending in ":" (or a heading) right before a removed list or box is its label.
    labelMaxWords: 8,

    // Links: a box (list, div, section, table) is navigation when at least boxLinkShare of its
    // characters are in links and it holds at least boxMinLinks links; a line (p, li, dd, dt) when
    // at least lineLinkShare are. Headings are not lines: a linked subhead stays.
    boxLinkShare: 0.5,
    boxMinLinks: 3,
    lineLinkShare: 0.9,
    // Never drop an element that holds this share of the page's text outside links (the story
    // itself, a page wrapper with a misleading class, a page hidden while its scripts load).
    guardShare: 0.4,
    // Hidden elements with this many characters outside links are collapsed story ("read more"),
    // not hover-cards: they stay.
    hiddenProseChars: 600,

    // Embedded posts the story quotes: put back after their paragraph when Readability drops them.
    embedQuotes: "blockquote.twitter-tweet, blockquote.twitter-video, blockquote.instagram-media, " +
      "blockquote.tiktok-embed, blockquote.bluesky-embed, blockquote.threads-embed, blockquote.reddit-embed-bq, " +
      "blockquote.mastodon-embed",

    // A paragraph or quote Readability left out between two blocks it kept goes back in when it
    // has at most gapMaxWords words and at most gapMaxSteps elements lie between the two.
    gapMaxWords: 60,
    gapMaxSteps: 6,

    // Trailing notes: paragraphs at the very end whose words outside links are all in italics or
    // bold and that hold a link (author taglines, "originally appeared on", promos), up to this long.
    noteMaxWords: 60,

    // Duplicate blocks (a pull quote repeating the story): a block of at least this many words
    // whose words already appear in another block is sent once.
    duplicateMinWords: 6,

    // Not an article (a home or section page): at least listMinItems headings that are wholly a
    // link (teasers) in what Readability found, with fewer than listWordsPerItem words of text per
    // heading. Lists and boxes of links do not count: an article may end with one.
    listMinItems: 5,
    listWordsPerItem: 40,
  });
})(globalThis);
