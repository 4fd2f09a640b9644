"""Administrative divisions (行政区划), boundary lines, markers, inspections and changes."""
