# SPDX-License-Identifier: GPL-2.0-or-later
# The ifauthskip plugin ([mail]/[rcpt]), a shell script.
plugins_SCRIPTS += plugins/ifauthskip/ifauthskip
PLUGIN_POLICIES += plugins/ifauthskip/ifauthskip.policy
EXTRA_DIST += \
	plugins/ifauthskip/ifauthskip \
	plugins/ifauthskip/ifauthskip.policy \
	plugins/ifauthskip/README.section.md \
	$(NULL)
