/* When nobody has chosen the digest's time zone yet (no country came with the link), the
   browser's own zone is offered: chosen in the list if it is there, written in "Other time zone"
   if not. Without JavaScript the list keeps its default. */
(function () {
  "use strict";

  var select = document.querySelector("select[data-browser-default]");
  if (!select) {
    return;
  }
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  // Browsers name some zones by their older names (ICU's); the list uses the current ones.
  var current = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Europe/Kiev": "Europe/Kyiv",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "Atlantic/Faeroe": "Atlantic/Faroe",
  };
  zone = current[zone] || zone;
  var offered = Array.prototype.some.call(select.options, function (option) {
    return option.value === zone;
  });
  if (offered) {
    select.value = zone;
    return;
  }
  var other = document.getElementById("id_time_zone_other");
  if (other && !other.value) {
    other.value = zone;
  }
})();
