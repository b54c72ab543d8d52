// Reads an .ics file with ical.js (Thunderbird's iCalendar library) and
// prints each event's summary, start and end in UTC, as JSON: a second
// opinion on our calendars from an independent parser.
"use strict";
const fs = require("fs");
const path = require("path");
// argv[2]: the node_modules folder; the CommonJS build, as package.json exports it.
const ICAL = require(path.resolve(process.argv[2], "ical.js", "dist", "ical.es5.cjs"));

const component = new ICAL.Component(ICAL.parse(fs.readFileSync(process.argv[3], "utf8")));
for (const zone of component.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const events = component.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    summary: event.summary,
    zone: event.startDate.zone && event.startDate.zone.tzid,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
  };
});
process.stdout.write(JSON.stringify(events));
