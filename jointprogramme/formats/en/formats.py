"""English dates as the programme's partners write them: day, month, year
("30 Nov 2026"), not Django's American default ("Nov. 30, 2026"). Everything not set
here (numbers, input formats) is Django's English."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j M"
