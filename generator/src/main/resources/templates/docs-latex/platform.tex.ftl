<#assign sec = "Platforms / " + tex.labelKey(platform.name)>
% ${marker}
\section{${tex.escape(platform.title)}}\label{sec:${sec}}

<#list platform.paragraphs as p>
${tex.escape(p)}

</#list>
\begin{description}
\item[Version] ${tex.escape(platform.version)}
\item[Status] ${platform.status}
\item[Transports] ${tex.escape(platform.transports)}
\item[Source] \texttt{${tex.escape(platform.source)}}
\end{description}

\subsection{Devices}\label{sec:${sec} / Devices}

<#if platform.devices?has_content>
% Plain tabular with p columns: the chapter needs no package beyond what a LaTeX kernel has.
{\footnotesize\setlength{\tabcolsep}{3pt}
\noindent\begin{tabular}{|p{0.09\linewidth}|p{0.04\linewidth}|p{0.06\linewidth}|p{0.12\linewidth}|p{0.09\linewidth}|p{0.13\linewidth}|p{0.13\linewidth}|p{0.08\linewidth}|p{0.08\linewidth}|}
\hline
Device & ID & Level & MUST offer & MUST NOT offer & SHOULD / MAY offer & Config & Queues & Queue size \\
\hline
<#list platform.devices as d>
${tex.escape(d.name)} & ${d.id} & ${d.level}<#list d.cells() as c> & <@cell c/></#list> \\
\hline
</#list>
\end{tabular}
}

<#else>
The platform lists no devices.

</#if>
\subsection{Statements}\label{sec:${sec} / Statements}

\begin{description}
<#list platform.statements as s>
\item[${tex.escape(s.id)}] ${tex.escape(s.sentence)}<#if s.doc?has_content> ${tex.escape(s.doc)}</#if>
\emph{Checked by:} ${tex.escape(s.checked)}
</#list>
\end{description}
<#-- A matrix cell: its entries separated by commas, a dash when there are none. -->
<#macro cell items><#if items?has_content><#list items as i>${tex.escape(i)}<#sep>, </#sep></#list><#else>---</#if></#macro>
