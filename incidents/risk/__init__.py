"""The risk index: a number from 0 to 100 per country and region, computed from published incidents.

`weights` holds every number the computation uses, documented; `compute` turns a country's
incidents into indexes with a constant number of aggregate queries; `services` stores them as
history (advisories.models.RiskAssessment) and raises what follows from a change.
"""
